/**
 * Party scorecards: for each lead party in view (a supervisor's scope; a party's own organisation),
 * commitments led, completed on time and late, open overdue, reports filed, the on-time rate.
 */
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { api, ApiFailure, unwrap } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/ui';
import { useOrganisationName } from '../../data';
import { useFormat, useT } from '../../i18n';
import { hasRole, useMe } from '../../session';
import { DashboardNav } from './SubNav';
import '../followup/followup.css';

export function ScorecardsPage() {
  const t = useT();
  const me = useMe().data!;
  const overseer = hasRole(me, 'supervisor', 'admin');
  const overview = useQuery({
    enabled: overseer,
    queryKey: ['dashboard', 'overview', 'parties'],
    queryFn: () => unwrap(api.GET('/dashboard/overview', { params: { query: {} } })),
  });
  const ids = overseer
    ? [...new Set((overview.data?.commitments.byParty ?? []).map((p) => p.organisationId))]
    : [me.organisationId];
  return (
    <>
      <h1>{t('supervision.scorecards')}</h1>
      <DashboardNav />
      <p className="muted">{t('supervision.scorecardsIntro')}</p>
      {overseer && overview.isPending && <Loading />}
      <ErrorNotice error={overview.error} />
      {overseer && overview.data && ids.length === 0 && <p className="muted">{t('supervision.none')}</p>}
      <div className="scorecards">
        {ids.map((id) => (
          <Scorecard key={id} organisationId={id} />
        ))}
      </div>
    </>
  );
}

function Scorecard({ organisationId }: { organisationId: string }) {
  const t = useT();
  const f = useFormat();
  const orgName = useOrganisationName();
  const headingId = useId();
  const card = useQuery({
    queryKey: ['dashboard', 'scorecard', organisationId],
    queryFn: () =>
      unwrap(api.GET('/dashboard/organisations/{id}', { params: { path: { id: organisationId }, query: {} } })),
    retry: (n, e) => !(e instanceof ApiFailure && e.status === 404) && n < 2,
  });
  const s = card.data;
  // A lead party outside a supervisor's organisation scope has no scorecard for them (404): not shown.
  if (card.error instanceof ApiFailure && card.error.status === 404) return null;
  return (
    <section className="card" aria-labelledby={headingId} data-scorecard={organisationId}>
      <h2 id={headingId} className="h3">
        {t('supervision.scorecard', { organisation: orgName(organisationId) })}
      </h2>
      {card.isPending && <Loading />}
      <ErrorNotice error={card.error} />
      {s && (
        <dl>
          <dt>{t('supervision.commitmentsLed')}</dt>
          <dd data-field="commitmentsLed">{f.number(s.commitmentsLed)}</dd>
          <dt>{t('supervision.completedOnTime')}</dt>
          <dd data-field="completedOnTime">{f.number(s.completedOnTime)}</dd>
          <dt>{t('supervision.completedLate')}</dt>
          <dd data-field="completedLate">{f.number(s.completedLate)}</dd>
          <dt>{t('supervision.openOverdue')}</dt>
          <dd data-field="openOverdue">{f.number(s.openOverdue)}</dd>
          <dt>{t('supervision.openCount')}</dt>
          <dd data-field="open">{f.number(s.open)}</dd>
          <dt>{t('supervision.reportsFiled')}</dt>
          <dd data-field="reportsFiled">{f.number(s.reportsFiled)}</dd>
          <dt>{t('supervision.onTimeRate')}</dt>
          <dd data-field="onTimeRate">
            {s.onTimeRate == null ? t('supervision.noRate') : `${f.number(Math.round(s.onTimeRate * 100))} %`}
          </dd>
        </dl>
      )}
    </section>
  );
}
