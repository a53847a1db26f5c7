/**
 * The dashboard's queries, shared by the page and its route's loader: the loader starts them (and
 * the charts' chunk) as soon as the URL matches, beside the page's own chunk and GET /me, so a cold
 * load waits for the slowest of them instead of one after the other.
 */
import type { QueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';

export interface DashboardSearch {
  organisationId?: string;
  state?: string;
  status?: string;
  from?: string;
  to?: string;
  withinDays: number;
  page: number;
}
export const DASHBOARD_PAGE_SIZE = 20;

type Query = NonNullable<paths['/dashboard/overview']['get']['parameters']['query']>;

export const overviewQuery = (s: DashboardSearch) => ({
  queryKey: ['dashboard', 'overview', s.organisationId, s.state, s.from, s.to, s.withinDays],
  queryFn: () =>
    unwrap(
      api.GET('/dashboard/overview', {
        params: {
          query: {
            organisationId: s.organisationId,
            status: s.state as Query['status'],
            from: s.from,
            to: s.to,
            withinDays: s.withinDays,
          },
        },
      }),
    ),
});

export const urgentQuery = (s: DashboardSearch) => ({
  queryKey: ['dashboard', 'commitments', s.organisationId, s.status, s.from, s.to, s.page],
  queryFn: () =>
    unwrap(
      api.GET('/dashboard/commitments', {
        params: {
          query: {
            organisationId: s.organisationId,
            status: s.status as Query['status'],
            from: s.from,
            to: s.to,
            withinDays: s.withinDays,
            page: s.page,
            pageSize: DASHBOARD_PAGE_SIZE,
          },
        },
      }),
    ),
});

/** The trend over the same memoranda as the overview (organisation and memorandum state). */
export const trendQuery = (s: DashboardSearch) => ({
  queryKey: ['dashboard', 'trend', s.organisationId, s.state],
  queryFn: () =>
    unwrap(
      api.GET('/dashboard/trend', {
        params: { query: { organisationId: s.organisationId, status: s.state as Query['status'] } },
      }),
    ),
});

export const organisationsQuery = {
  queryKey: ['organisations', 'all'],
  queryFn: () => unwrap(api.GET('/organisations', { params: { query: { pageSize: 100 } } })),
  staleTime: 60_000,
};

/** Starts every query of the page (not awaited: the page shows each as it comes). */
export function prefetchDashboard(qc: QueryClient, s: DashboardSearch) {
  void qc.prefetchQuery(overviewQuery(s));
  void qc.prefetchQuery(urgentQuery(s));
  void qc.prefetchQuery(trendQuery(s));
  void qc.prefetchQuery(organisationsQuery);
}
