/**
 * What happens next on a memorandum, and whom everyone is waiting for: from its state and the parties' decisions and
 * signatures on the current revision (the same reads as the Approvals and Signing tabs, shared through the cache).
 * Also each party's approval and signature status, for the parties table.
 */
import { useQuery } from '@tanstack/react-query';
import { api, type Memorandum, type Schemas, unwrap } from '../../api/client';
import { useOrganisationName } from '../../data';
import { useFormat, useT, useTranslateDynamic } from '../../i18n';
import { useMe } from '../../session';
import { useHistory } from './common';

type Approvals = Schemas['Approvals'];
type Signatures = Schemas['Signatures'];

const REVIEW = ['in_review', 'amendment_in_review'];
const SIGNING = ['signing', 'amendment_signing'];

export function useApprovals(m: Memorandum) {
  return useQuery({
    queryKey: ['memoranda', m.id, 'approvals'],
    queryFn: () => unwrap(api.GET('/memoranda/{id}/approvals', { params: { path: { id: m.id } } })),
  });
}

export function useSignatures(m: Memorandum) {
  return useQuery({
    queryKey: ['memoranda', m.id, 'signatures'],
    queryFn: () => unwrap(api.GET('/memoranda/{id}/signatures', { params: { path: { id: m.id } } })),
  });
}

/** The signatory parties whose decision is awaited now: all undecided, or in ordered review those whose turn it is. */
export function awaitedDecisions(m: Memorandum, approvals: Approvals): string[] {
  const signatories = approvals.parties.filter((p) => p.role === 'signatory');
  const approved = (o: string) => signatories.find((p) => p.organisationId === o)?.decision === 'approve';
  return signatories
    .filter((p) => !p.decision)
    .filter(
      (p) => !m.orderedReview || signatories.filter((q) => q.order < p.order).every((q) => approved(q.organisationId)),
    )
    .map((p) => p.organisationId);
}

/** The signatory parties whose signatures are awaited now: all incomplete, or in sequential signing those in turn. */
export function awaitedSignatures(signatures: Signatures): string[] {
  const parties = signatures.parties;
  return parties
    .filter((p) => !p.complete)
    .filter(
      (p) =>
        signatures.signingMode !== 'sequential' || parties.filter((q) => q.order < p.order).every((q) => q.complete),
    )
    .map((p) => p.organisationId);
}

export function NextStep({ m }: { m: Memorandum }) {
  const t = useT();
  const td = useTranslateDynamic();
  const f = useFormat();
  const me = useMe().data!;
  const orgName = useOrganisationName();
  const state = m.lifecycleState;
  const inReview = REVIEW.includes(state);
  const inSigning = SIGNING.includes(state);
  const draft = state === 'draft' || state === 'amendment_draft';
  const approvals = useApprovals(m);
  const signatures = useSignatures(m);
  const history = useHistory(m.id);
  const names = (ids: string[]) =>
    ids.map((o) => (o === me.organisationId ? t('next.yours', { name: orgName(o) }) : orgName(o))).join(', ');
  const coordinator = orgName(m.coordinatingOrganisationId);
  let text: string | null = null;
  if (draft) {
    // A refusal sends the memorandum back to a new working revision: the refusals are those of the revision before it.
    const number = m.currentRevision?.number ?? 0;
    const refusedOn = m.currentRevision?.frozen ? number : number - 1;
    const refused = (history.data?.items ?? []).filter(
      (e) => e.revisionNumber === refusedOn && (e.action === 'request_changes' || e.action === 'decline'),
    );
    const changes = refused.filter((e) => e.action === 'request_changes').map((e) => e.organisationId ?? '');
    const declined = refused.filter((e) => e.action === 'decline').map((e) => e.organisationId ?? '');
    text = changes.length
      ? t('next.revise', { parties: names([...new Set(changes)]), coordinator })
      : declined.length
        ? t('next.declined', { parties: names([...new Set(declined)]), coordinator })
        : t(state === 'draft' ? 'next.draft' : 'next.amendment_draft', { coordinator });
  } else if (inReview) {
    if (!approvals.data) return null;
    const waiting = awaitedDecisions(m, approvals.data);
    text = waiting.length
      ? t('next.in_review', { parties: names(waiting), coordinator })
      : t('next.approved', { coordinator });
  } else if (state === 'approved' || state === 'amendment_approved') {
    text = t('next.approved', { coordinator });
  } else if (inSigning) {
    if (!signatures.data) return null;
    const waiting = awaitedSignatures(signatures.data);
    text = t('next.signing', { parties: names(waiting), count: waiting.length });
  } else if (state === 'executed') {
    text = t('next.executed', { date: f.date(m.effectiveDate) });
  } else if (state === 'active') {
    text = m.endDate ? t('next.active', { date: f.date(m.endDate) }) : t('next.activeOpen');
  } else {
    text = td(`next.${state}`, '');
  }
  const amendment = state.startsWith('amendment_') && state !== 'amendment_draft';
  return (
    <p className="next-step" data-testid="next-step">
      <strong>{t('next.label')}</strong> {amendment && `${t('next.amendment')} `}
      {text}
    </p>
  );
}

/** A party's approval of the current revision and its signatures, for the parties table. */
export function PartyStatus({
  m,
  organisationId,
  role,
  kind,
}: {
  m: Memorandum;
  organisationId: string;
  role: string;
  kind: 'approval' | 'signature';
}) {
  const t = useT();
  const td = useTranslateDynamic();
  const approvals = useApprovals(m);
  const signatures = useSignatures(m);
  const frozen = !!m.currentRevision?.frozen;
  if (role !== 'signatory' || !frozen) return <span className="muted">—</span>;
  if (kind === 'approval') {
    const p = approvals.data?.parties.find((x) => x.organisationId === organisationId);
    if (!p) return <span className="muted">—</span>;
    return p.decision ? (
      <span className={`party-status ${p.decision}`}>{td(`historyAction.${p.decision}`, p.decision)}</span>
    ) : (
      <span className="party-status">{t('approvals.waiting')}</span>
    );
  }
  const s = signatures.data?.parties.find((x) => x.organisationId === organisationId);
  if (!s || (s.signed === 0 && !SIGNING.includes(m.lifecycleState))) return <span className="muted">—</span>;
  return (
    <span className={`party-status ${s.complete ? 'complete' : ''}`}>
      {s.complete ? t('next.signed') : t('signing.progress', { signed: s.signed, required: s.requiredSignatures })}
    </span>
  );
}
