/**
 * The dashboard of supervisors (their scope) and parties (their organisation): memoranda by state,
 * commitments by lead party and the quarterly trend (on time, late, overdue) as charts (Chart.js,
 * loaded with this page only) that drill down to the list behind each bar, memoranda ending soon,
 * parties waiting, and the urgent commitments with filters and page in the URL. The route's loader
 * starts the queries and the charts' chunk (dashboardQueries.ts).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { lazy, Suspense, useId, useMemo, useRef, useState } from 'react';
import type { Schemas } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field, Loading, Pager } from '../../components/ui';
import { useOrganisationName, useOrganisations } from '../../data';
import { useFormat, useT, useTranslateDynamic } from '../../i18n';
import { DASHBOARD_STATUSES, type DashboardSearch, STATUSES } from '../../route-search';
import { DashboardNav } from './SubNav';
import { UrgentTable } from './UrgentTable';
import '../followup/followup.css';

import type { DrillTarget } from './Charts';
import { DASHBOARD_PAGE_SIZE, overviewQuery, trendQuery, urgentQuery } from './dashboardQueries';

// Fetched as soon as this chunk runs (the route's loader asks for it even earlier), not after the data.
const charts = import('./Charts');
const BarChart = lazy(() => charts.then((m) => ({ default: m.BarChart })));
type Search = DashboardSearch;
const PAGE_SIZE = DASHBOARD_PAGE_SIZE;

export function DashboardPage() {
  const t = useT();
  const search = useSearch({ from: '/signed-in/dashboard' });
  const navigate = useNavigate({ from: '/dashboard' });
  // The previous figures stay on screen while the new filters load (no flash of "Loading").
  const overview = useQuery({ ...overviewQuery(search), placeholderData: keepPreviousData });
  const urgent = useQuery({ ...urgentQuery(search), placeholderData: keepPreviousData });
  const trend = useQuery({ ...trendQuery(search), placeholderData: keepPreviousData });
  const urgentHeading = useRef<HTMLHeadingElement>(null);
  // A bar clicked: its list, in the URL like the filters; the urgent list takes the focus.
  const drill = (target: DrillTarget) => {
    // eslint-disable-next-line no-restricted-syntax -- one of two routes' search, validated by its zod schema
    void navigate({ to: target.to, search: target.search as never }).then(() => {
      if (target.to === '/dashboard') urgentHeading.current?.focus();
    });
  };
  return (
    <>
      <h1>{t('supervision.dashboard')}</h1>
      <DashboardNav />
      <Filters key={JSON.stringify(search)} search={search} onApply={(s) => void navigate({ search: s })} />
      {overview.isPending && <Loading />}
      <ErrorNotice error={overview.error} />
      {overview.data && <Overview data={overview.data} search={search} onDrill={drill} />}
      <ErrorNotice error={trend.error} />
      {trend.data && <Trend quarters={trend.data.quarters} search={search} onDrill={drill} />}
      <section className="card" aria-labelledby="urgent">
        <h2 id="urgent" ref={urgentHeading} tabIndex={-1}>
          {t('supervision.urgent')}
        </h2>
        {urgent.isPending && <Loading />}
        <ErrorNotice error={urgent.error} />
        {urgent.data &&
          (urgent.data.items.length === 0 ? (
            <p className="muted">{t('supervision.noUrgent')}</p>
          ) : (
            <>
              <UrgentTable items={urgent.data.items} caption={t('supervision.urgent')} />
              <Pager
                page={search.page}
                pageSize={PAGE_SIZE}
                total={urgent.data.total}
                onPage={(page) => void navigate({ search: (s) => ({ ...s, page }) })}
              />
            </>
          ))}
      </section>
    </>
  );
}

function Filters({ search, onApply }: { search: Search; onApply: (s: Search) => void }) {
  const t = useT();
  const td = useTranslateDynamic();
  const orgs = useOrganisations();
  const base = useId();
  const [s, set] = useState<Search>(search);
  return (
    <form
      className="card filters"
      aria-label={t('supervision.filters')}
      onSubmit={(e) => {
        e.preventDefault();
        onApply({ ...s, page: 1 });
      }}
    >
      <Field label={t('supervision.organisation')} id={`${base}-org`}>
        <select
          id={`${base}-org`}
          value={s.organisationId ?? ''}
          onChange={(e) => set({ ...s, organisationId: e.target.value || undefined })}
        >
          <option value="">{t('supervision.anyOrganisation')}</option>
          {orgs.data?.items.map((o) => (
            <option key={o.id} value={o.id}>
              {o.shortName ?? o.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('supervision.memorandumState')} id={`${base}-state`}>
        <select
          id={`${base}-state`}
          value={s.state ?? ''}
          onChange={(e) => set({ ...s, state: (e.target.value || undefined) as Search['state'] })}
        >
          <option value="">{t('supervision.anyState')}</option>
          {STATUSES.map((x) => (
            <option key={x} value={x}>
              {td(`status.${x}`, x)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('supervision.commitmentStatus')} id={`${base}-status`}>
        <select
          id={`${base}-status`}
          value={s.status ?? ''}
          onChange={(e) => set({ ...s, status: (e.target.value || undefined) as Search['status'] })}
        >
          <option value="">{t('supervision.anyStatus')}</option>
          {DASHBOARD_STATUSES.map((x) => (
            <option key={x} value={x}>
              {t(`followup.status_${x}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('supervision.from')} id={`${base}-from`}>
        <input
          id={`${base}-from`}
          type="date"
          value={s.from ?? ''}
          onChange={(e) => set({ ...s, from: e.target.value || undefined })}
        />
      </Field>
      <Field label={t('supervision.to')} id={`${base}-to`}>
        <input
          id={`${base}-to`}
          type="date"
          value={s.to ?? ''}
          onChange={(e) => set({ ...s, to: e.target.value || undefined })}
        />
      </Field>
      <Field label={t('supervision.withinDays')} id={`${base}-days`}>
        <input
          id={`${base}-days`}
          type="number"
          min={1}
          max={3650}
          value={s.withinDays}
          onChange={(e) => set({ ...s, withinDays: Number(e.target.value) || 30 })}
        />
      </Field>
      <div className="inline-actions">
        <button type="submit" className="primary">
          {t('supervision.apply')}
        </button>
        <button type="button" onClick={() => onApply({ withinDays: 30, page: 1 })}>
          {t('supervision.reset')}
        </button>
      </div>
    </form>
  );
}

type OverviewData = Schemas['DashboardOverview'];

/** The urgent list of the dashboard with these filters (the memorandum filters kept). */
const urgentList = (search: Search, over: Partial<Search>): DrillTarget => ({
  to: '/dashboard',
  search: {
    organisationId: search.organisationId,
    state: search.state,
    withinDays: search.withinDays,
    ...over,
    page: 1,
  },
});
const PARTY_SERIES_STATUS = ['overdue', 'planned', 'completed'] as const;

function Overview({
  data,
  search,
  onDrill,
}: {
  data: OverviewData;
  search: Search;
  onDrill: (target: DrillTarget) => void;
}) {
  const t = useT();
  const td = useTranslateDynamic();
  const f = useFormat();
  const orgName = useOrganisationName();
  const byState = useMemo(() => data.memorandaByState.filter((s) => s.count > 0), [data]);
  const stateLabels = useMemo(() => byState.map((s) => td(`status.${s.state}`, s.state)), [byState, td]);
  const stateSeries = useMemo(
    () => [{ label: t('supervision.byState'), values: byState.map((s) => s.count), color: '#0b5cad' }],
    [byState, t],
  );
  const parties = data.commitments.byParty;
  const partyLabels = useMemo(() => parties.map((p) => orgName(p.organisationId)), [parties, orgName]);
  const partySeries = useMemo(
    () => [
      { label: t('supervision.overdue'), values: parties.map((p) => p.overdue), color: '#a4161a' },
      { label: t('supervision.open'), values: parties.map((p) => p.open), color: '#0b5cad' },
      { label: t('supervision.completed'), values: parties.map((p) => p.completed), color: '#1a6b34' },
    ],
    [parties, t],
  );
  return (
    <>
      <ul className="kpis">
        <li data-kpi="overdue">
          <strong>{f.number(data.commitments.overdue)}</strong>
          {t('supervision.overdueCount', { count: data.commitments.overdue })}
        </li>
        <li data-kpi="due-soon">
          <strong>{f.number(data.commitments.dueSoon)}</strong>
          {t('supervision.dueSoonCount', { count: data.commitments.dueSoon, days: data.withinDays })}
        </li>
        <li data-kpi="ending">
          <strong>{f.number(data.endingSoon.length)}</strong>
          {t('supervision.endingSoon', { days: data.withinDays })}
        </li>
      </ul>
      <p className="muted small">{t('followLoop.drillHint')}</p>
      <Suspense fallback={<p className="muted">{t('supervision.chartLoading')}</p>}>
        <div className="charts">
          <section className="card">
            {byState.length ? (
              <BarChart
                title={t('supervision.byState')}
                labels={stateLabels}
                series={stateSeries}
                figuresLabel={t('supervision.chartFigures')}
                drill={(i) => ({ to: '/memoranda', search: { status: byState[i].state, page: 1 } })}
                onDrill={onDrill}
              />
            ) : (
              <p className="muted">{t('supervision.none')}</p>
            )}
          </section>
          <section className="card">
            {parties.length ? (
              <BarChart
                title={t('supervision.overdueByParty')}
                labels={partyLabels}
                series={partySeries}
                stacked
                figuresLabel={t('supervision.chartFigures')}
                drill={(i, j) =>
                  urgentList(search, { organisationId: parties[i].organisationId, status: PARTY_SERIES_STATUS[j] })
                }
                onDrill={onDrill}
              />
            ) : (
              <p className="muted">{t('supervision.none')}</p>
            )}
          </section>
        </div>
      </Suspense>
      <div className="charts">
        <section className="card" aria-labelledby="ending">
          <h2 id="ending" className="h3">
            {t('supervision.endingSoon', { days: data.withinDays })}
          </h2>
          {data.endingSoon.length === 0 ? (
            <p className="muted">{t('supervision.nothingEnding')}</p>
          ) : (
            <ul className="list">
              {data.endingSoon.map((m) => (
                <li key={m.memorandumId}>
                  <Link to="/memoranda/$id" params={{ id: m.memorandumId }} search={{ tab: 'overview' }}>
                    {m.title}
                  </Link>{' '}
                  — {f.date(m.endDate)}
                </li>
              ))}
            </ul>
          )}
        </section>
        <Waiting title={t('supervision.reviewsWaiting', { days: data.withinDays })} items={data.reviewsWaiting} />
        <Waiting title={t('supervision.signaturesWaiting', { days: data.withinDays })} items={data.signaturesWaiting} />
      </div>
    </>
  );
}

function Waiting({ title, items }: { title: string; items: OverviewData['reviewsWaiting'] }) {
  const t = useT();
  const f = useFormat();
  const orgName = useOrganisationName();
  const id = useId();
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id} className="h3">
        {title}
      </h2>
      {items.length === 0 ? (
        <p className="muted">{t('supervision.none')}</p>
      ) : (
        <ul className="list">
          {items.map((w) => (
            <li key={`${w.memorandumId}-${w.organisationId}`}>
              {orgName(w.organisationId)} ·{' '}
              <Link to="/memoranda/$id" params={{ id: w.memorandumId }} search={{ tab: 'overview' }}>
                {w.title}
              </Link>{' '}
              <span className="muted small">{t('supervision.since', { date: f.dateTime(w.since) })}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Completed on time, late and overdue by quarter; a bar opens the quarter's dates of that status. */
function Trend({
  quarters,
  search,
  onDrill,
}: {
  quarters: Schemas['DashboardTrend']['quarters'];
  search: Search;
  onDrill: (target: DrillTarget) => void;
}) {
  const t = useT();
  const labels = useMemo(() => quarters.map((q) => q.quarter.replace('-Q', ' Q')), [quarters]);
  const series = useMemo(
    () => [
      { label: t('followLoop.trendOnTime'), values: quarters.map((q) => q.onTime), color: '#1a6b34' },
      { label: t('followLoop.trendLate'), values: quarters.map((q) => q.late), color: '#8a5a00' },
      { label: t('followLoop.trendOverdue'), values: quarters.map((q) => q.overdue), color: '#a4161a' },
    ],
    [quarters, t],
  );
  const range = (quarter: string) => {
    const [year, q] = quarter.split('-Q').map(Number);
    const last = new Date(Date.UTC(year, q * 3, 0)).getUTCDate();
    return {
      from: `${year}-${String(q * 3 - 2).padStart(2, '0')}-01`,
      to: `${year}-${String(q * 3).padStart(2, '0')}-${last}`,
    };
  };
  return (
    <section className="card" data-chart="trend">
      {quarters.length ? (
        <Suspense fallback={<p className="muted">{t('supervision.chartLoading')}</p>}>
          <BarChart
            title={t('followLoop.trend')}
            labels={labels}
            series={series}
            stacked
            horizontal={false}
            figuresLabel={t('supervision.chartFigures')}
            drill={(i, j) =>
              urgentList(search, { ...range(quarters[i].quarter), status: j === 2 ? 'overdue' : 'completed' })
            }
            onDrill={onDrill}
          />
        </Suspense>
      ) : (
        <>
          <h2 className="h3">{t('followLoop.trend')}</h2>
          <p className="muted">{t('supervision.none')}</p>
        </>
      )}
    </section>
  );
}
