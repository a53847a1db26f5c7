/**
 * The memorandum's evidence PDF (GET /memoranda/{id}/evidence.pdf): the worker renders it, so the
 * API answers 202 until it is ready; the download asks again with a growing pause, shows progress,
 * then saves the file. Also: the template a memorandum was made from, with its commitments.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { api, ApiFailure, type Memorandum, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/ui';
import { useOrganisationName } from '../../data';
import { useFormat, useT } from '../../i18n';

const MAX_ATTEMPTS = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asks until the PDF is ready: Retry-After seconds at first, then 1.5 times longer each time, at most 10 s. */
async function fetchEvidence(id: string, onAttempt: (n: number) => void, cancelled: () => boolean): Promise<Blob> {
  let wait = 1000;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    onAttempt(attempt);
    let res: Response;
    try {
      res = await fetch(`/memoranda/${id}/evidence.pdf`, { credentials: 'same-origin' });
    } catch {
      throw new ApiFailure(0, { statusCode: 0, code: 'network_error', message: 'network' });
    }
    if (res.status === 200) return res.blob();
    if (res.status !== 202) {
      const body = await res.json().catch(() => null);
      throw new ApiFailure(
        res.status,
        body && typeof body === 'object' && 'code' in body
          ? body
          : { statusCode: res.status, code: `http_${res.status}`, message: res.statusText },
      );
    }
    const retryAfter = Number(res.headers.get('Retry-After')) * 1000 || wait;
    await sleep(attempt === 1 ? retryAfter : Math.max(retryAfter, wait));
    wait = Math.min(wait * 1.5, 10_000);
    if (cancelled()) throw new Error('cancelled');
  }
  throw new ApiFailure(0, { statusCode: 0, code: 'evidence_timeout', message: 'timeout' });
}

export function EvidencePanel({ m }: { m: Memorandum }) {
  const t = useT();
  const [state, setState] = useState<
    | { step: 'idle' }
    | { step: 'waiting'; attempt: number }
    | { step: 'ready'; url: string }
    | { step: 'failed'; error: unknown }
  >({ step: 'idle' });
  const alive = useRef(true);
  const link = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  useEffect(() => {
    // Saved at once when it is ready; the link stays for saving it again.
    if (state.step === 'ready') link.current?.click();
    return () => (state.step === 'ready' ? URL.revokeObjectURL(state.url) : undefined);
  }, [state]);
  const fileName = `kelisim-evidence-${m.id}.pdf`;
  const start = async () => {
    setState({ step: 'waiting', attempt: 1 });
    try {
      const blob = await fetchEvidence(
        m.id,
        (attempt) => alive.current && setState({ step: 'waiting', attempt }),
        () => !alive.current,
      );
      if (!alive.current) return;
      setState({ step: 'ready', url: URL.createObjectURL(blob) });
    } catch (error) {
      if (alive.current) setState({ step: 'failed', error });
    }
  };
  return (
    <section className="card" aria-labelledby="evidence-title">
      <h2 id="evidence-title">{t('evidence.title')}</h2>
      <p className="muted small">{t('evidence.intro')}</p>
      <div className="row">
        <button type="button" onClick={() => void start()} disabled={state.step === 'waiting'}>
          {t('evidence.download')}
        </button>
        <Link to="/verify">{t('evidence.verifyLink')}</Link>
      </div>
      {state.step === 'waiting' && (
        <div role="status" aria-live="polite">
          <progress aria-label={t('evidence.generating')} />
          <p className="muted small">{t('evidence.waiting', { attempt: state.attempt })}</p>
        </div>
      )}
      {state.step === 'ready' && (
        <p role="status" className="notice ok">
          {t('evidence.ready')}{' '}
          <a ref={link} href={state.url} download={fileName}>
            {t('evidence.saveAgain')}
          </a>
        </p>
      )}
      {state.step === 'failed' && <ErrorNotice error={state.error} />}
    </section>
  );
}

/** The template (and version) the memorandum was made from, and the commitments of its text. */
export function TemplateOrigin({ m }: { m: Memorandum }) {
  const t = useT();
  const f = useFormat();
  const orgName = useOrganisationName();
  const commitments = useQuery({
    queryKey: ['memoranda', m.id, 'commitments', 'text'],
    queryFn: () =>
      unwrap(api.GET('/memoranda/{id}/commitments', { params: { path: { id: m.id }, query: { pageSize: 100 } } })),
  });
  const template = useQuery({
    queryKey: ['templates', m.templateId, m.templateVersion],
    queryFn: () =>
      unwrap(
        api.GET('/templates/{id}', {
          params: { path: { id: m.templateId! }, query: { version: m.templateVersion ?? undefined } },
        }),
      ),
    enabled: !!m.templateId,
  });
  if (!m.templateId) return null;
  return (
    <section className="card" aria-labelledby="origin-title">
      <h2 id="origin-title">{t('templates.madeFrom')}</h2>
      <p>
        {template.data?.name ?? '…'} — {t('templates.versionN', { version: m.templateVersion ?? 1 })}
      </p>
      <h3>{t('templates.textCommitments')}</h3>
      {commitments.isPending && <Loading />}
      {commitments.error && <ErrorNotice error={commitments.error} />}
      {commitments.data && commitments.data.items.length === 0 && (
        <p className="muted">{t('templates.noCommitments')}</p>
      )}
      {commitments.data && commitments.data.items.length > 0 && (
        <ul className="list" aria-label={t('templates.textCommitments')}>
          {commitments.data.items.map((c) => (
            <li key={c.id}>
              <strong>{c.title}</strong>
              <p className="muted small">
                {t('templates.lead', { name: orgName(c.leadOrganisationId) })} ·{' '}
                {c.dueDate
                  ? t('templates.due', { date: f.date(c.dueDate) })
                  : t('templates.occurrences', { count: c.occurrences.length })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
