/** The memorandum's other tabs: revisions and diffs, the approval matrix, signatures, history, reminders. */
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api, type Memorandum, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field, Hash, Loading } from '../../components/ui';
import { useOrganisationName } from '../../data';
import { useFormat, useT, useTranslateDynamic } from '../../i18n';
import { useHistory, useMemorandumAction } from './common';
import { DiffView } from './DiffView';

type Props = { m: Memorandum };

export function RevisionsTab({ m, from, to }: Props & { from?: number; to?: number }) {
  const t = useT();
  const f = useFormat();
  const revisions = useQuery({
    queryKey: ['memoranda', m.id, 'revisions'],
    queryFn: () => unwrap(api.GET('/memoranda/{id}/revisions', { params: { path: { id: m.id } } })),
  });
  if (revisions.isPending) return <Loading />;
  if (revisions.error) return <ErrorNotice error={revisions.error} />;
  const items = revisions.data.items;
  const b = to ?? items.at(-1)?.number;
  const a = from ?? (b && b > 1 ? b - 1 : undefined);
  return (
    <>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
        <table>
          <caption>{t('revisions.title')}</caption>
          <thead>
            <tr>
              <th scope="col">№</th>
              <th scope="col">{t('revisions.kind')}</th>
              <th scope="col">{t('revisions.hash')}</th>
              <th scope="col">{t('revisions.frozen')}</th>
              <th scope="col">{t('revisions.compare')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.number}>
                <td>{r.number}</td>
                <td>{t(`revisions.${r.kind}`)}</td>
                <td>
                  <Hash value={r.hash} />
                </td>
                <td>{f.dateTime(r.frozenAt)}</td>
                <td>
                  {r.number > 1 && (
                    <Link
                      to="/memoranda/$id"
                      params={{ id: m.id }}
                      search={{ tab: 'revisions', from: r.number - 1, to: r.number }}
                    >
                      {t('revisions.compareWith', { from: r.number - 1, to: r.number })}
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {a && b && a !== b ? <DiffView id={m.id} from={a} to={b} /> : <p className="muted">{t('revisions.single')}</p>}
    </>
  );
}

type Cell = { decision: string; comment?: string | null; at?: string | null };

/** Party × revision: the current revision from the approvals, earlier ones from the history; refreshed while open. */
export function ApprovalsTab({ m }: Props) {
  const t = useT();
  const td = useTranslateDynamic();
  const f = useFormat();
  const orgName = useOrganisationName();
  const approvals = useQuery({
    queryKey: ['memoranda', m.id, 'approvals'],
    queryFn: () => unwrap(api.GET('/memoranda/{id}/approvals', { params: { path: { id: m.id } } })),
    refetchInterval: 5_000,
  });
  const history = useHistory(m.id, true);
  if (approvals.isPending || history.isPending) return <Loading />;
  if (approvals.error || history.error) return <ErrorNotice error={approvals.error ?? history.error} />;
  const current = approvals.data.revisionNumber;
  const cells = new Map<string, Cell>();
  for (const e of history.data.items) {
    if (['approve', 'request_changes', 'decline', 'comment'].includes(e.action) && e.organisationId && e.revisionNumber)
      cells.set(`${e.organisationId}:${e.revisionNumber}`, { decision: e.action, comment: e.reason, at: e.at });
  }
  for (const d of approvals.data.items)
    cells.set(`${d.organisationId}:${current}`, { decision: d.decision, comment: d.comment, at: d.decidedAt });
  const revisions = Array.from({ length: current }, (_, i) => i + 1).filter(
    (n) => n === current || [...cells.keys()].some((k) => k.endsWith(`:${n}`)),
  );
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
      <table className="matrix">
        <caption>{t('approvals.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('parties.organisation')}</th>
            {revisions.map((n) => (
              <th scope="col" key={n}>
                {t('diff.revision', { number: n })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {approvals.data.parties.map((p) => (
            <tr key={p.organisationId}>
              <th scope="row">
                {orgName(p.organisationId)} <span className="muted small">{td(`partyRole.${p.role}`, p.role)}</span>
              </th>
              {revisions.map((n) => {
                const c = cells.get(`${p.organisationId}:${n}`);
                return (
                  <td key={n} className={`decision-${c?.decision ?? 'waiting'}`}>
                    {c ? td(`historyAction.${c.decision}`, c.decision) : n === current ? t('approvals.waiting') : '—'}
                    {c?.comment && <q className="small">{c.comment}</q>}
                    {c?.at && <span className="muted small"> {f.dateTime(c.at)}</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SigningTab({ m }: Props) {
  const t = useT();
  const td = useTranslateDynamic();
  const f = useFormat();
  const orgName = useOrganisationName();
  const signatures = useQuery({
    queryKey: ['memoranda', m.id, 'signatures'],
    queryFn: () => unwrap(api.GET('/memoranda/{id}/signatures', { params: { path: { id: m.id } } })),
    refetchInterval: m.status === 'signing' ? 5_000 : false,
  });
  if (signatures.isPending) return <Loading />;
  if (signatures.error) return <ErrorNotice error={signatures.error} />;
  return (
    <>
      <ul className="list">
        {signatures.data.parties.map((p) => (
          <li key={p.organisationId}>
            {orgName(p.organisationId)}: {t('signing.progress', { signed: p.signed, required: p.requiredSignatures })}
            {p.complete && ' ✓'}
          </li>
        ))}
      </ul>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
        <table>
          <caption>{t('signing.signatures')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('parties.organisation')}</th>
              <th scope="col">{t('signing.signer')}</th>
              <th scope="col">{t('signing.method')}</th>
              <th scope="col">{t('signing.when')}</th>
              <th scope="col">{t('signing.evidence')}</th>
            </tr>
          </thead>
          <tbody>
            {signatures.data.items.map((s) => (
              <tr key={s.id}>
                <td>{orgName(s.organisationId)}</td>
                <td>{s.signerName}</td>
                <td>{td(`signing.method_${s.method}`, s.method)}</td>
                <td>
                  {f.dateTime(s.signedAt)} {s.place && `· ${s.place}`}
                </td>
                <td>
                  {s.evidence ? (
                    <>
                      {String((s.evidence as { reference?: string }).reference ?? '')}{' '}
                      <Hash value={String((s.evidence as { sha256?: string }).sha256 ?? '')} />
                    </>
                  ) : (
                    <Hash value={s.revisionHash} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function HistoryTab({ m }: Props) {
  const t = useT();
  const td = useTranslateDynamic();
  const f = useFormat();
  const orgName = useOrganisationName();
  const history = useHistory(m.id);
  const verify = useQuery({
    queryKey: ['memoranda', m.id, 'verify'],
    queryFn: () => unwrap(api.GET('/memoranda/{id}/history/verify', { params: { path: { id: m.id } } })),
  });
  return (
    <>
      {verify.data &&
        (verify.data.valid ? (
          <p className="notice ok" role="status">
            {t('history.valid', { count: verify.data.events ?? 0 })}
          </p>
        ) : (
          <p className="notice error" role="alert">
            {t('history.broken', { seq: verify.data.brokenAtSeq ?? 0, reason: verify.data.reason ?? '' })}
          </p>
        ))}
      <ErrorNotice error={verify.error ?? history.error} />
      {history.isPending && <Loading />}
      <ol className="timeline">
        {history.data?.items.map((e) => (
          <li key={e.seq}>
            <p>
              <strong>{td(`historyAction.${e.action}`, e.action)}</strong>{' '}
              {e.fromStatus !== e.toStatus && (
                <span className="muted">
                  {td(`status.${e.fromStatus}`, e.fromStatus ?? '')} → {td(`status.${e.toStatus}`, e.toStatus ?? '')}
                </span>
              )}
            </p>
            <p className="small">
              {f.dateTime(e.at)} · {(e.actor as { name?: string } | null)?.name ?? t('history.system')}
              {e.organisationId && ` · ${orgName(e.organisationId)}`}
              {e.revisionNumber ? ` · ${t('diff.revision', { number: e.revisionNumber })}` : ''}
            </p>
            {e.reason && <q>{e.reason}</q>}
            <p className="muted small">
              #{e.seq} <Hash value={e.hash} />
            </p>
          </li>
        ))}
      </ol>
    </>
  );
}

/** Every reminder kind of a memorandum: its lifecycle's, then its commitments'. */
const KINDS = ['review', 'signing', 'term_end', 'commitment_due', 'commitment_overdue'] as const;
/** Kinds set by days before a date (the others: an interval, a count and an escalation). */
const BY_OFFSETS: readonly string[] = ['term_end', 'commitment_due'];

export function RemindersTab({ m }: Props) {
  const t = useT();
  const policies = useQuery({
    queryKey: ['memoranda', m.id, 'reminders'],
    queryFn: () => unwrap(api.GET('/memoranda/{id}/reminder-policies', { params: { path: { id: m.id } } })),
  });
  if (policies.isPending) return <Loading />;
  if (policies.error) return <ErrorNotice error={policies.error} />;
  return (
    <>
      <p className="muted">{t('reminders.intro')}</p>
      {KINDS.map((kind) => {
        const p = policies.data.items.find((x): x is typeof x & { kind: (typeof KINDS)[number] } => x.kind === kind);
        return p ? <PolicyForm key={`${kind}-${p.updatedAt ?? ''}`} m={m} policy={p} /> : null;
      })}
    </>
  );
}

function PolicyForm({ m, policy }: Props & { policy: { kind: (typeof KINDS)[number] } & Record<string, unknown> }) {
  const t = useT();
  const [enabled, setEnabled] = useState(Boolean(policy.enabled));
  const [intervalDays, setInterval] = useState(String(policy.intervalDays ?? ''));
  const [maxCount, setMax] = useState(String(policy.maxCount ?? ''));
  const [offsets, setOffsets] = useState(((policy.offsetsDays as number[] | null) ?? []).join(', '));
  const [escalateTo, setEscalate] = useState(String(policy.escalateTo ?? 'none') as 'supervisors' | 'none');
  const save = useMemorandumAction(m.id, () =>
    unwrap(
      api.PUT('/memoranda/{id}/reminder-policies', {
        params: { path: { id: m.id } },
        body: {
          items: [
            {
              kind: policy.kind,
              enabled,
              ...(BY_OFFSETS.includes(policy.kind)
                ? {
                    offsetsDays: offsets
                      .split(/[,\s]+/)
                      .filter(Boolean)
                      .map(Number),
                  }
                : { intervalDays: Number(intervalDays), maxCount: Number(maxCount), escalateTo }),
            },
          ],
        },
      }),
    ),
  );
  const id = `pol-${policy.kind}`;
  return (
    <form
      className="card"
      aria-labelledby={id}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <h3 id={id}>
        {t(`reminders.${policy.kind}`)}{' '}
        {policy.isDefault ? <span className="muted small">{t('reminders.default')}</span> : null}
      </h3>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />{' '}
        {t('reminders.enabled')}
      </label>
      {BY_OFFSETS.includes(policy.kind) ? (
        <Field label={t(policy.kind === 'term_end' ? 'reminders.offsets' : 'reminders.offsetsDue')} id={`${id}-off`}>
          <input id={`${id}-off`} value={offsets} onChange={(e) => setOffsets(e.target.value)} />
        </Field>
      ) : (
        <div className="grid3">
          <Field label={t('reminders.interval')} id={`${id}-int`}>
            <input
              id={`${id}-int`}
              type="number"
              min={1}
              max={365}
              value={intervalDays}
              onChange={(e) => setInterval(e.target.value)}
            />
          </Field>
          <Field label={t('reminders.max')} id={`${id}-max`}>
            <input
              id={`${id}-max`}
              type="number"
              min={0}
              max={100}
              value={maxCount}
              onChange={(e) => setMax(e.target.value)}
            />
          </Field>
          <Field label={t('reminders.escalate')} id={`${id}-esc`}>
            <select
              id={`${id}-esc`}
              value={escalateTo}
              onChange={(e) => setEscalate(e.target.value as typeof escalateTo)}
            >
              <option value="supervisors">{t('reminders.supervisors')}</option>
              <option value="none">{t('reminders.nobody')}</option>
            </select>
          </Field>
        </div>
      )}
      <ErrorNotice error={save.error} />
      {save.isSuccess && (
        <p role="status" className="notice ok">
          {t('common.saved')}
        </p>
      )}
      <button type="submit" disabled={save.isPending}>
        {t('common.save')}
      </button>
    </form>
  );
}
