/**
 * Digital signing (docs/signatures.md): the page fetches the revision's canonical bytes, checks
 * their SHA-256 against the revision's hash, shows the text they hold, and has them signed either
 * in the browser with a PKCS#12 key file (pkijs, loaded only here) or by NCALayer; the CMS is
 * posted and the certificate as the server verified it is announced.
 */
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api, type Memorandum, type Schemas, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field, Hash, Loading } from '../../components/ui';
import { LANGUAGE_NAMES, LANGUAGES, useFormat, useLocale, useT } from '../../i18n';
import { useMemorandumAction } from './common';

type Text = { title: string; purpose: string; body: string };
/** The fields of the canonical form the page shows (libs/memoranda/src/revisions/canonical.ts). */
interface CanonicalTerms extends Text {
  language: string;
  effectiveDate: string | null;
  endDate: string | null;
  translations?: { equallyAuthentic: boolean; texts: Partial<Record<string, Text>> };
  parties: { organisationId: string; role: string; name?: string; bin?: string | null }[];
}

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

/** A failure on this side (key file, NCALayer, hash), shown in the user's language. */
type LocalFailure = { key: 'sign.hashMismatch' | `sign.p12_${string}` | `sign.ncalayer_${string}`; detail?: string };

export function DigitalSign({
  m,
  seen,
  onDone,
}: {
  m: Memorandum;
  seen: { number: number; hash: string };
  onDone: (notice: ReactNode) => void;
}) {
  const t = useT();
  const { language } = useLocale();
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<'p12' | 'ncalayer' | null>(null);
  const [local, setLocal] = useState<LocalFailure | null>(null);
  const canonical = useQuery({
    queryKey: ['memoranda', m.id, 'canonical', seen.number],
    queryFn: async () => {
      const bytes = (await unwrap(
        api.GET('/memoranda/{id}/revisions/{number}/canonical', {
          params: { path: { id: m.id, number: seen.number } },
          parseAs: 'arrayBuffer',
        }),
      )) as unknown as ArrayBuffer;
      const hash = hex(await crypto.subtle.digest('SHA-256', bytes));
      return { bytes, hash, terms: JSON.parse(new TextDecoder().decode(bytes)) as CanonicalTerms };
    },
    staleTime: Infinity,
  });
  const post = useMemorandumAction(m.id, (cms: string) =>
    unwrap(
      api.POST('/memoranda/{id}/signatures', {
        params: { path: { id: m.id } },
        body: { method: 'digital', revisionHash: seen.hash, cms },
      }),
    ).then((r) => {
      onDone(<SignedNotice certificate={r.certificate} />);
      return r;
    }),
  );
  // The bytes must be the revision the page names: a different text is never offered for signing.
  const intact = canonical.data?.hash === seen.hash;

  async function withKeyFile() {
    if (!canonical.data || !file) return;
    setLocal(null);
    post.reset();
    setBusy('p12');
    try {
      const { KeyFileError, openKeyFile, signDetached } = await import('../../signing/cms');
      let cms: string;
      try {
        const key = await openKeyFile(await file.arrayBuffer(), password);
        cms = await signDetached(canonical.data.bytes, key);
      } catch (e) {
        setLocal({ key: e instanceof KeyFileError ? `sign.p12_${e.code}` : 'sign.p12_unreadable' });
        return;
      }
      post.mutate(cms);
    } finally {
      setBusy(null);
    }
  }

  async function withNcalayer() {
    if (!canonical.data) return;
    setLocal(null);
    post.reset();
    setBusy('ncalayer');
    try {
      const { NcalayerError, signWithNcalayer } = await import('../../signing/ncalayer');
      let cms: string;
      try {
        cms = await signWithNcalayer(canonical.data.bytes, language);
      } catch (e) {
        const code = e instanceof NcalayerError ? e.code : 'failed';
        setLocal({ key: `sign.ncalayer_${code}`, detail: e instanceof NcalayerError ? e.detail : String(e) });
        return;
      }
      post.mutate(cms);
    } finally {
      setBusy(null);
    }
  }

  if (canonical.isPending) return <Loading />;
  if (canonical.error) return <ErrorNotice error={canonical.error} />;
  const pending = busy !== null || post.isPending;
  return (
    <>
      <WhatIsSigned terms={canonical.data.terms} number={seen.number} hash={canonical.data.hash} />
      {!intact && <LocalNotice failure={{ key: 'sign.hashMismatch', detail: seen.hash }} />}
      {intact && (
        <>
          <form
            className="digital-sign"
            aria-labelledby="sign-p12"
            onSubmit={(e) => {
              e.preventDefault();
              void withKeyFile();
            }}
          >
            <h3 id="sign-p12">{t('sign.p12Title')}</h3>
            <p className="muted small">{t('sign.p12Hint')}</p>
            <div className="grid3">
              <Field label={t('sign.p12File')} id="p12-file">
                <input
                  id="p12-file"
                  type="file"
                  accept=".p12,.pfx,application/x-pkcs12"
                  onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                />
              </Field>
              <Field label={t('sign.p12Password')} id="p12-password">
                <input
                  id="p12-password"
                  type="password"
                  autoComplete="off"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              </Field>
            </div>
            <button type="submit" className="primary" disabled={!file || pending}>
              {busy === 'p12' ? t('sign.signing') : t('sign.withP12')}
            </button>
          </form>
          <div className="digital-sign" aria-labelledby="sign-ncalayer" role="group">
            <h3 id="sign-ncalayer">{t('sign.ncalayerTitle')}</h3>
            <p className="muted small">{t('sign.ncalayerHint')}</p>
            <button type="button" onClick={() => void withNcalayer()} disabled={pending}>
              {busy === 'ncalayer' ? t('sign.ncalayerWaiting') : t('sign.withNcalayer')}
            </button>
          </div>
          {local && <LocalNotice failure={local} />}
          <ErrorNotice error={post.error} />
        </>
      )}
    </>
  );
}

function LocalNotice({ failure }: { failure: LocalFailure }) {
  const t = useT();
  return (
    <div role="alert" className="notice error" data-code={failure.key}>
      <p>
        <strong>{t(failure.key as Parameters<typeof t>[0])}</strong>
      </p>
      {failure.detail && (
        <p className="muted small" lang={failure.key.startsWith('sign.ncalayer') ? undefined : 'en'}>
          {failure.detail}
        </p>
      )}
    </div>
  );
}

/** The text held by the canonical bytes themselves (not the editable draft), every language it has open. */
function WhatIsSigned({ terms, number, hash }: { terms: CanonicalTerms; number: number; hash: string }) {
  const t = useT();
  const f = useFormat();
  const texts: [string, Text][] = [
    [terms.language, terms],
    ...Object.entries(terms.translations?.texts ?? {}).flatMap(([l, x]) => (x ? [[l, x] as [string, Text]] : [])),
  ];
  return (
    // Scrolls when the text is long: focusable, so it can be scrolled from the keyboard.
    <section className="signed-text" aria-labelledby="what-signed" tabIndex={0}>
      <h3 id="what-signed">{t('sign.whatIsSigned', { number })}</h3>
      <p className="small">
        {t('sign.hashIs')} <Hash value={hash} short={false} />
      </p>
      <dl className="facts">
        <dt>{t('memoranda.term')}</dt>
        <dd>
          {f.date(terms.effectiveDate ?? undefined)} – {f.date(terms.endDate ?? undefined)}
        </dd>
        <dt>{t('sign.parties')}</dt>
        <dd>
          <ul className="plain">
            {terms.parties.map((p) => (
              <li key={p.organisationId}>
                {p.name || p.organisationId}
                {p.bin ? ` (${t('sign.bin')} ${p.bin})` : ''}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      {texts.map(([l, x]) => (
        <details key={l} open lang={l}>
          <summary>
            {LANGUAGES.includes(l as (typeof LANGUAGES)[number]) ? LANGUAGE_NAMES[l as (typeof LANGUAGES)[number]] : l}
            {': '}
            {x.title}
          </summary>
          <p>
            <strong>{x.purpose}</strong>
          </p>
          <pre className="body-text">{x.body}</pre>
        </details>
      ))}
    </section>
  );
}

/** The signature as the server recorded it: the certificate's names read from the verified CMS. */
function SignedNotice({ certificate }: { certificate: Schemas['SignerCertificate'] | null }) {
  const t = useT();
  return (
    <>
      <p>
        <strong>{t('sign.recordedDigital')}</strong>
      </p>
      {certificate && (
        <dl className="facts signed-certificate">
          <dt>{t('sign.subject')}</dt>
          <dd lang="">{certificate.subject}</dd>
          <dt>{t('sign.iin')}</dt>
          <dd>{certificate.iin ?? '—'}</dd>
          <dt>{t('sign.bin')}</dt>
          <dd>{certificate.bin ?? '—'}</dd>
          <dt>{t('sign.fingerprint')}</dt>
          <dd>
            <Hash value={certificate.fingerprint} short={false} />
          </dd>
        </dl>
      )}
    </>
  );
}
