/**
 * What a party does: review the current revision (with what changed since the revision the
 * organisation last decided on), decide with the hash shown, or sign: with a typed name and
 * consent, or digitally with the signatory's own key.
 */
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api, ApiFailure, type Memorandum, unwrap } from '../../api/client';
import { useConfirm } from '../../components/ConfirmDialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field, Hash } from '../../components/ui';
import { useOrganisationName } from '../../data';
import { useT } from '../../i18n';
import { useMe } from '../../session';
import { useHistory, useMemorandumAction } from './common';
import { DiffView } from './DiffView';
import { languageList, RevisionText } from './LanguageVersions';
import { DigitalSign } from './DigitalSign';

const DECISIONS = ['approve', 'request_changes', 'decline', 'comment'] as const;
type Decision = (typeof DECISIONS)[number];

export function ReviewPanel({ m, onDone }: { m: Memorandum; onDone: (message: string) => void }) {
  const t = useT();
  const me = useMe().data!;
  const orgName = useOrganisationName();
  const history = useHistory(m.id);
  // The hash the page showed: what the decision names, even if the memorandum moves on meanwhile.
  const [seen] = useState(() => ({ number: m.currentRevision?.number ?? 0, hash: m.currentRevision?.hash ?? '' }));
  const [decision, setDecision] = useState<Decision>('approve');
  const [comment, setComment] = useState('');
  const decide = useMemorandumAction(m.id, () =>
    unwrap(
      api.POST('/memoranda/{id}/approvals', {
        params: { path: { id: m.id } },
        body: { decision, revisionHash: seen.hash, comment: comment.trim() || undefined },
      }),
    ).then((r) => {
      onDone(t('review.recorded'));
      return r;
    }),
  );
  const options = DECISIONS.filter((d) => m.allowedActions.includes(d));
  const lastSeen = (history.data?.items ?? [])
    .filter((e) => e.organisationId === me.organisationId && DECISIONS.includes(e.action as Decision))
    .map((e) => e.revisionNumber ?? 0)
    .filter((n) => n > 0 && n < seen.number)
    .at(-1);
  const confirm = useConfirm();
  const stale = decide.error instanceof ApiFailure && decide.error.code === 'stale_revision';
  const notYourTurn = decide.error instanceof ApiFailure && decide.error.code === 'not_your_turn';
  const current = m.currentRevision?.number ?? seen.number;
  return (
    <section className="card" aria-labelledby="review">
      <h2 id="review">{t('review.title', { organisation: orgName(me.organisationId) })}</h2>
      <p>
        {t('review.revision', { number: seen.number })} <Hash value={seen.hash} short={false} />
      </p>
      <RevisionText id={m.id} number={seen.number} stale={m.staleTranslations} />
      {lastSeen ? (
        <>
          <h3>{t('review.changedSince', { number: lastSeen })}</h3>
          <DiffView id={m.id} from={lastSeen} to={seen.number} />
        </>
      ) : (
        <p className="muted">{t('review.firstLook')}</p>
      )}
      {!stale && current !== seen.number && (
        // The memorandum moved on while the page was open: say so before the decision is refused.
        <div className="notice" role="status" data-code="stale_revision">
          <p>
            <strong>{t('errors.stale_revision')}</strong> {t('errors.next_stale_revision')}
          </p>
          <DiffView id={m.id} from={seen.number} to={current} />
          <button type="button" onClick={() => window.location.reload()}>
            {t('review.reload')}
          </button>
        </div>
      )}
      {decide.isSuccess ? null : (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            if (
              decision === 'decline' &&
              !(await confirm.ask({
                title: t('confirm.declineTitle'),
                consequence: t('confirm.decline', { number: seen.number }),
                action: t('decision.decline'),
              }))
            )
              return;
            decide.mutate(undefined);
          }}
        >
          {confirm.dialog}
          <fieldset>
            <legend>{t('review.decision')}</legend>
            {options.map((d) => (
              <label key={d} className="check">
                <input
                  type="radio"
                  name="decision"
                  value={d}
                  checked={decision === d}
                  onChange={() => setDecision(d)}
                />{' '}
                {t(`decision.${d}`)}
              </label>
            ))}
          </fieldset>
          <Field
            label={t('review.comment')}
            id="decision-comment"
            hint={decision === 'approve' ? t('review.commentOptional') : t('review.commentRequired')}
          >
            <textarea
              id="decision-comment"
              rows={3}
              maxLength={5000}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
          </Field>
          <p className="small">{t('review.namesHash', { number: seen.number, hash: seen.hash.slice(0, 16) })}</p>
          <ErrorNotice error={decide.error}>
            {notYourTurn && <WhoseTurn m={m} />}
            {stale && current !== seen.number && (
              <>
                <h3>{t('review.whatChanged', { from: seen.number, to: current })}</h3>
                <DiffView id={m.id} from={seen.number} to={current} />
                <button type="button" onClick={() => window.location.reload()}>
                  {t('review.reload')}
                </button>
              </>
            )}
          </ErrorNotice>
          <button type="submit" className="primary" disabled={decide.isPending}>
            {t('review.submit')}
          </button>
        </form>
      )}
    </section>
  );
}

/** In an ordered review: the parties before the caller's that have not decided yet. */
function WhoseTurn({ m }: { m: Memorandum }) {
  const t = useT();
  const orgName = useOrganisationName();
  const me = useMe().data!;
  const mine = m.parties.find((p) => p.organisationId === me.organisationId);
  const before = m.parties.filter((p) => p.role === 'signatory' && mine && p.order < mine.order);
  return <p>{t('review.turnOf', { parties: before.map((p) => orgName(p.organisationId)).join(', ') || '—' })}</p>;
}

/**
 * Signing for the caller's organisation: electronically (typed name and consent) or digitally
 * (DigitalSign); a memorandum that requires digital signatures offers only the digital method.
 */
export function SignPanel({ m, onDone }: { m: Memorandum; onDone: (notice: ReactNode) => void }) {
  const t = useT();
  const me = useMe().data!;
  const orgName = useOrganisationName();
  const [seen] = useState(() => ({ number: m.currentRevision?.number ?? 0, hash: m.currentRevision?.hash ?? '' }));
  const digitalOnly = m.signatureLevel === 'digital';
  const [method, setMethod] = useState<'electronic' | 'digital'>(digitalOnly ? 'digital' : 'electronic');
  const [typedName, setTypedName] = useState('');
  const [consent, setConsent] = useState(false);
  const [signed, setSigned] = useState(false);
  const confirm = useConfirm();
  // The languages of the revision being signed (the same query as its text below): the consent names them.
  const revision = useQuery({
    queryKey: ['memoranda', m.id, 'revisions', seen.number],
    queryFn: () =>
      unwrap(api.GET('/memoranda/{id}/revisions/{number}', { params: { path: { id: m.id, number: seen.number } } })),
    enabled: seen.number > 0,
    staleTime: Infinity,
  });
  const signedLanguages = revision.data
    ? [revision.data.language, ...Object.keys(revision.data.translations?.texts ?? {})].filter(
        (l, i, all) => all.indexOf(l) === i,
      )
    : [m.language];
  const sign = useMemorandumAction(m.id, () =>
    unwrap(
      api.POST('/memoranda/{id}/signatures', {
        params: { path: { id: m.id } },
        body: { method: 'electronic', revisionHash: seen.hash, typedName: typedName.trim(), consent },
      }),
    ).then((r) => {
      onDone(t('sign.recorded'));
      return r;
    }),
  );
  if (sign.isSuccess || signed) return null;
  return (
    <section className="card" aria-labelledby="sign">
      <h2 id="sign">{t('sign.title', { organisation: orgName(me.organisationId) })}</h2>
      {digitalOnly ? (
        <p className="small">{t('sign.digitalRequired')}</p>
      ) : (
        <fieldset>
          <legend>{t('sign.method')}</legend>
          {(['electronic', 'digital'] as const).map((x) => (
            <label key={x} className="check">
              <input type="radio" name="sign-method" checked={method === x} onChange={() => setMethod(x)} />{' '}
              {t(`sign.method_${x}`)}
            </label>
          ))}
        </fieldset>
      )}
      {method === 'digital' ? (
        <DigitalSign
          m={m}
          seen={seen}
          onDone={(notice) => {
            setSigned(true);
            onDone(notice);
          }}
        />
      ) : (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            if (
              !(await confirm.ask({
                title: t('confirm.signTitle', { organisation: orgName(me.organisationId) }),
                consequence: t('confirm.sign', { number: seen.number, hash: seen.hash.slice(0, 16) }),
                action: t('sign.submit'),
              }))
            )
              return;
            sign.mutate(undefined);
          }}
        >
          {confirm.dialog}
          <RevisionText id={m.id} number={seen.number} stale={m.staleTranslations} purpose="sign" />
          <Field label={t('sign.typedName')} id="typed-name" hint={t('sign.typedNameHint', { name: me.fullName })}>
            <input
              id="typed-name"
              value={typedName}
              maxLength={200}
              autoComplete="name"
              onChange={(e) => setTypedName(e.target.value)}
            />
          </Field>
          <label className="check consent">
            <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />{' '}
            {t('sign.consent', {
              name: typedName.trim() || me.fullName,
              organisation: orgName(me.organisationId),
              number: seen.number,
              hash: seen.hash,
              languages: languageList(signedLanguages),
            })}
          </label>
          <ErrorNotice error={sign.error} />
          <button type="submit" className="primary" disabled={!consent || !typedName.trim() || sign.isPending}>
            {t('sign.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
