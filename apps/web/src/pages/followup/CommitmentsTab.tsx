/**
 * A memorandum's commitments: text and activity-plan commitments with their dated occurrences,
 * reports with evidence files; a responsible party files reports and marks dates completed; the
 * coordinator adds plan commitments and cancels. Downloads: CSV, XLSX, iCalendar.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, type Memorandum, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field, Loading } from '../../components/ui';
import { useOrganisationName } from '../../data';
import { useFormat, useLocale, useT, useTranslateDynamic } from '../../i18n';
import { hasRole, useMe } from '../../session';
import { type Commitment, formatBytes, responsible, useCommitments, useReports } from './common';
import { ReportForm } from './ReportForm';
import { AmendmentProposal } from './AmendmentProposal';
import { CommitmentEditor, type CommitmentTerms, createBody, patchBody } from './CommitmentEditor';
import { CorrectReport } from './CorrectReport';
import { RuleWords } from './RuleWords';
import './followup.css';

type Props = { m: Memorandum };
const OPEN = ['planned', 'in_progress', 'overdue'];

export function CommitmentStatusBadge({ status }: { status: string }) {
  const td = useTranslateDynamic();
  return <span className={`badge cstatus-${status}`}>{td(`followup.status_${status}`, status)}</span>;
}

/** Invalidates what shows commitments, reports and the dashboards after a change. */
function useFollowUpAction<V, R>(memorandumId: string, call: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: ['memoranda', memorandumId] });
      await qc.invalidateQueries({ queryKey: ['commitments'] });
      await qc.invalidateQueries({ queryKey: ['dashboard'] });
    },
  });
}

export function CommitmentsTab({ m }: Props) {
  const t = useT();
  const me = useMe().data!;
  const list = useCommitments(m.id);
  const isCoordinator = hasRole(me, 'coordinator') && m.coordinatingOrganisationId === me.organisationId;
  const active = m.status === 'active';
  const amending = active && m.amendmentStatus != null;
  return (
    <>
      {amending && <AmendmentProposal m={m} isCoordinator={isCoordinator} />}
      <section className="card" aria-labelledby="cm-downloads">
        <h2 id="cm-downloads" className="h3">
          {t('followup.exports')}
        </h2>
        <ul className="downloads">
          <li>
            <a href={`/memoranda/${m.id}/commitments.csv`} download>
              {t('followup.csv')}
            </a>
          </li>
          <li>
            <a href={`/memoranda/${m.id}/commitments.xlsx`} download>
              {t('followup.xlsx')}
            </a>
          </li>
          <li>
            <a href={`/memoranda/${m.id}/calendar.ics`} download>
              {t('followup.ics')}
            </a>
          </li>
        </ul>
      </section>
      {!active && <p className="notice">{t('followup.notActive')}</p>}
      {isCoordinator && active && <AddPlanCommitment m={m} />}
      {list.isPending && <Loading />}
      <ErrorNotice error={list.error} />
      {list.data && (
        <>
          <h2>
            {amending && `${t('amend.inForce')}: `}
            {t('followup.count', { count: list.data.total })}
          </h2>
          {list.data.items.map((c) => (
            <CommitmentCard key={c.id} m={m} c={c} isCoordinator={isCoordinator} />
          ))}
        </>
      )}
    </>
  );
}

function CommitmentCard({ m, c, isCoordinator }: Props & { c: Commitment; isCoordinator: boolean }) {
  const t = useT();
  const f = useFormat();
  const orgName = useOrganisationName();
  const me = useMe().data!;
  const headingId = useId();
  const active = m.status === 'active';
  const isResponsible =
    responsible(c).includes(me.organisationId) && hasRole(me, 'party_representative', 'signatory', 'coordinator');
  const hasReports = c.reportIds.length > 0 || c.occurrences.some((o) => o.reportIds.length > 0);
  const reports = useReports(c.id, hasReports);
  const complete = useFollowUpAction(m.id, (occurrenceDate: string | undefined) =>
    unwrap(api.POST('/commitments/{id}/complete', { params: { path: { id: c.id } }, body: { occurrenceDate } })),
  );
  const canComplete = active && isResponsible && c.allowedActions.includes('complete');
  const td = useTranslateDynamic();
  const openDates = c.occurrences.filter((o) => OPEN.includes(o.status));
  const [chosenDate, setCompleteDate] = useState('');
  const completeDate = openDates.some((o) => o.date === chosenDate) ? chosenDate : (openDates[0]?.date ?? '');
  const others = c.organisationIds.filter((o) => o !== c.leadOrganisationId);
  return (
    <section className="card commitment" aria-labelledby={headingId} data-commitment={c.id}>
      <h3 id={headingId}>{c.title}</h3>
      <p className="meta">
        <CommitmentStatusBadge status={c.status} />{' '}
        <span className="muted small">{t(`followup.origin_${c.origin}`)}</span>
      </p>
      <dl className="facts">
        {c.clauseRef && (
          <>
            <dt>{t('followup.clause')}</dt>
            <dd>{c.clauseRef}</dd>
          </>
        )}
        <dt>{t('followup.lead')}</dt>
        <dd>{orgName(c.leadOrganisationId)}</dd>
        {others.length > 0 && (
          <>
            <dt>{t('followup.others')}</dt>
            <dd>{others.map(orgName).join(', ')}</dd>
          </>
        )}
        {c.target && (
          <>
            <dt>{t('followup.target')}</dt>
            <dd>
              {f.number(c.target.quantity)} {c.target.unit}
            </dd>
          </>
        )}
        <dt>{t('followup.due')}</dt>
        <dd>
          {c.rrule ? <RuleWords rule={c.rrule} /> : f.date(c.dueDate)} ·{' '}
          {t('followup.dates', { count: c.occurrences.length })}
        </dd>
      </dl>
      {c.description && <p>{c.description}</p>}
      {c.occurrences.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.table')}>
          <table className="occurrences">
            <caption className="visually-hidden">{t('followup.dates', { count: c.occurrences.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('followup.date')}</th>
                <th scope="col">{t('followup.status')}</th>
                <th scope="col">{t('followup.overdueFrom')}</th>
                <th scope="col">{t('followup.completedAt')}</th>
                <th scope="col">{t('followup.reports')}</th>
              </tr>
            </thead>
            <tbody>
              {c.occurrences.map((o) => (
                <tr key={o.id} className={`occ-${o.status}`}>
                  <td>{f.date(o.date)}</td>
                  <td>
                    <CommitmentStatusBadge status={o.status} />
                    {o.late && <span className="muted small"> ({t('followup.late')})</span>}
                  </td>
                  <td data-label={t('followup.overdueFrom')}>{f.dateTime(o.overdueAt)}</td>
                  <td data-label={t('followup.completedAt')}>{f.dateTime(o.completedAt)}</td>
                  <td data-label={t('followup.reports')}>
                    {t('followup.reportsCount', { count: o.reportIds.length })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canComplete && c.occurrences.length === 0 && (
        <button type="button" disabled={complete.isPending} onClick={() => complete.mutate(undefined)}>
          {t('followup.complete')}
        </button>
      )}
      {canComplete && openDates.length > 0 && (
        <form
          className="inline-actions complete-date"
          onSubmit={(e) => {
            e.preventDefault();
            if (completeDate) complete.mutate(completeDate);
          }}
        >
          <Field label={t('followLoop.completeWhich')} id={`${headingId}-complete`}>
            <select id={`${headingId}-complete`} value={completeDate} onChange={(e) => setCompleteDate(e.target.value)}>
              {openDates.map((o) => (
                <option key={o.id} value={o.date}>
                  {f.date(o.date)} — {td(`followup.status_${o.status}`, o.status)}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" disabled={complete.isPending || !completeDate}>
            {t('followup.complete')}
          </button>
        </form>
      )}
      <ErrorNotice error={complete.error} />
      {complete.isSuccess && (
        <p role="status" className="notice ok">
          {t('followup.completed')}
        </p>
      )}
      <h4>{t('followup.reports')}</h4>
      {!hasReports && <p className="muted">{t('followup.noReports')}</p>}
      {reports.isFetching && !reports.data && <Loading />}
      <ErrorNotice error={reports.error} />
      {reports.data && <ReportList m={m} reports={reports.data.items} canCorrect={active && isCoordinator} />}
      {active && isResponsible && (
        <ReportForm c={c} m={m} onComplete={canComplete ? (date) => complete.mutateAsync(date) : undefined} />
      )}
      {active && isCoordinator && c.origin === 'plan' && !['cancelled', 'completed'].includes(c.status) && (
        <EditPlanCommitment m={m} c={c} />
      )}
      {active && isCoordinator && c.allowedActions.includes('cancel') && <CancelCommitment m={m} c={c} />}
    </section>
  );
}

function ReportList({
  m,
  reports,
  canCorrect,
}: {
  m: Memorandum;
  reports: NonNullable<ReturnType<typeof useReports>['data']>['items'];
  canCorrect: boolean;
}) {
  const t = useT();
  const f = useFormat();
  const { language } = useLocale();
  const orgName = useOrganisationName();
  return (
    <ul className="list reports">
      {reports.map((r) => (
        <li key={r.id} data-report={r.id}>
          <p>
            <strong>{t('followup.reportBy', { organisation: orgName(r.organisationId), date: f.date(r.date) })}</strong>
            {r.occurrenceDate && <span className="muted small"> · {f.date(r.occurrenceDate)}</span>}
            {r.participants != null && <span> · {t('followup.participantsCount', { count: r.participants })}</span>}
            {r.version > 1 && (
              <span className="muted small"> · {t('amend.correctedVersion', { version: r.version })}</span>
            )}
          </p>
          <p>{r.summary}</p>
          {r.outcome && (
            <p>
              <span className="muted">{t('followup.outcome')}:</span> {r.outcome}
            </p>
          )}
          {r.links.length > 0 && (
            <ul className="files">
              {r.links.map((l) => (
                <li key={l}>
                  <a href={l} rel="noopener noreferrer" target="_blank">
                    {l}
                  </a>
                </li>
              ))}
            </ul>
          )}
          {r.files.length > 0 && (
            <ul className="files">
              {r.files.map((file) => (
                <li key={file.id}>
                  <a href={`/files/${file.id}`} download={file.name}>
                    {t('followup.download', { name: file.name, size: formatBytes(file.size, language) })}
                  </a>
                </li>
              ))}
            </ul>
          )}
          {canCorrect && <CorrectReport m={m} r={r} />}
        </li>
      ))}
    </ul>
  );
}

function EditPlanCommitment({ m, c }: Props & { c: Commitment }) {
  const t = useT();
  const save = useFollowUpAction(m.id, (terms: CommitmentTerms) =>
    unwrap(
      api.PATCH('/commitments/{id}', { params: { path: { id: c.id } }, body: patchBody(c.version, terms, false) }),
    ),
  );
  return (
    <details>
      <summary>{t('amend.edit')}</summary>
      <CommitmentEditor
        key={c.version}
        m={m}
        initial={c}
        withClause={false}
        submitLabel={t('amend.save')}
        pending={save.isPending}
        error={save.error}
        done={save.isSuccess ? t('amend.saved') : null}
        onSubmit={(terms) => save.mutate(terms)}
      />
    </details>
  );
}

function CancelCommitment({ m, c }: Props & { c: Commitment }) {
  const t = useT();
  const id = useId();
  const [reason, setReason] = useState('');
  const cancel = useFollowUpAction(m.id, () =>
    unwrap(
      api.POST('/commitments/{id}/cancel', {
        params: { path: { id: c.id } },
        body: { reason: reason.trim() || undefined },
      }),
    ),
  );
  return (
    <details>
      <summary>{t('followup.cancel')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          cancel.mutate(undefined);
        }}
      >
        <Field label={t('followup.cancelReason')} id={id}>
          <input id={id} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <ErrorNotice error={cancel.error} />
        {cancel.isSuccess && (
          <p role="status" className="notice ok">
            {t('followup.cancelled')}
          </p>
        )}
        <button type="submit" disabled={cancel.isPending}>
          {t('followup.cancel')}
        </button>
      </form>
    </details>
  );
}

function AddPlanCommitment({ m }: Props) {
  const t = useT();
  const [formKey, setFormKey] = useState(0);
  const add = useFollowUpAction(m.id, (terms: CommitmentTerms) =>
    unwrap(
      api.POST('/memoranda/{id}/commitments', { params: { path: { id: m.id } }, body: createBody(terms, 'plan') }),
    ),
  );
  return (
    <details className="card">
      <summary>{t('followup.addPlan')}</summary>
      <p className="muted">{t('followup.planIntro')}</p>
      <CommitmentEditor
        key={formKey}
        m={m}
        withClause={false}
        submitLabel={t('followup.add')}
        pending={add.isPending}
        error={add.error}
        done={add.isSuccess ? t('followup.added') : null}
        onSubmit={(terms) => add.mutate(terms, { onSuccess: () => setFormKey((k) => k + 1) })}
      />
    </details>
  );
}
