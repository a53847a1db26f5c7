/**
 * The routes, under /app. Search parameters are typed (zod): filters and tabs live in the URL.
 * Pages other than sign-in load on demand. Follow-up and supervision routes go beside these.
 */
import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
} from '@tanstack/react-router';
import { z } from 'zod';
import { Shell } from './components/Shell';
import { SignInPage } from './pages/SignIn';
import { prefetchDashboard } from './pages/supervision/dashboardQueries';
import { dashboardSearch, MEMORANDUM_TABS, STATUSES } from './route-search';

const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({ component: Outlet });

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: z.object({ next: z.string().max(500).optional().catch(undefined) }),
  component: SignInPage,
});

const appRoute = createRoute({ getParentRoute: () => rootRoute, id: 'signed-in', component: Shell });

const page = (loader: () => Promise<Record<string, unknown>>, name: string) =>
  lazyRouteComponent(loader as () => Promise<Record<string, () => React.JSX.Element>>, name);

const homeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  component: page(() => import('./pages/Home'), 'HomePage'),
});
const inboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/inbox',
  validateSearch: z.object({ page: z.coerce.number().int().min(1).max(100000).catch(1).default(1) }),
  component: page(() => import('./pages/Inbox'), 'InboxPage'),
});
const profileRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/profile',
  component: page(() => import('./pages/Profile'), 'ProfilePage'),
});
export const memorandaRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/memoranda',
  validateSearch: z.object({
    status: z.enum(STATUSES).optional().catch(undefined),
    q: z.string().max(200).optional().catch(undefined),
    page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
  }),
  component: page(() => import('./pages/MemorandaList'), 'MemorandaListPage'),
});
const newMemorandumRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/memoranda/new',
  component: page(() => import('./pages/NewMemorandum'), 'NewMemorandumPage'),
});
export const memorandumRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/memoranda/$id',
  validateSearch: z.object({
    tab: z.enum(MEMORANDUM_TABS).catch('overview').default('overview'),
    from: z.coerce.number().int().min(1).optional().catch(undefined),
    to: z.coerce.number().int().min(1).optional().catch(undefined),
  }),
  component: page(() => import('./pages/memorandum/MemorandumPage'), 'MemorandumPage'),
});
// ── Templates and evidence (issue 12): from a template; the public verification page ──
const fromTemplateRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/memoranda/from-template',
  validateSearch: z.object({
    template: z.string().uuid().optional().catch(undefined),
    version: z.coerce.number().int().min(1).optional().catch(undefined),
  }),
  component: page(() => import('./pages/FromTemplate'), 'FromTemplatePage'),
});
/** Needs no sign-in: outside the signed-in frame. */
const verifyEvidenceRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/verify',
  component: page(() => import('./pages/VerifyEvidence'), 'VerifyEvidencePage'),
});
// ── end templates and evidence ──
/** Templates created and edited in the interface (coordinators, admins). */
const templatesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/templates',
  component: page(() => import('./pages/Templates'), 'TemplatesPage'),
});

const organisationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/organisations',
  validateSearch: z.object({
    q: z.string().max(100).optional().catch(undefined),
    page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
  }),
  component: page(() => import('./pages/admin/Organisations'), 'OrganisationsPage'),
});
const usersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/users',
  validateSearch: z.object({
    q: z.string().max(100).optional().catch(undefined),
    page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
  }),
  component: page(() => import('./pages/admin/Users'), 'UsersPage'),
});
const webhooksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/webhooks',
  component: page(() => import('./pages/admin/Webhooks'), 'WebhooksPage'),
});
const webhookRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/webhooks/$id',
  component: page(() => import('./pages/admin/Webhooks'), 'WebhookDeliveriesPage'),
});

// Follow-up and supervision: our commitments, the dashboard (filters in the URL), scorecards,
// exports and calendar feed links, supervision scopes.
const myCommitmentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/commitments',
  validateSearch: z.object({ page: z.coerce.number().int().min(1).max(100000).catch(1).default(1) }),
  component: page(() => import('./pages/followup/MyCommitments'), 'MyCommitmentsPage'),
});
export const dashboardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/dashboard',
  validateSearch: dashboardSearch,
  // Cold load: the data and the charts' chunk start with the page's chunk, not after it (not awaited).
  loaderDeps: ({ search }) => search,
  loader: ({ context, deps }) => {
    prefetchDashboard(context.queryClient, deps);
    void import('./pages/supervision/Charts');
  },
  component: page(() => import('./pages/supervision/Dashboard'), 'DashboardPage'),
});
const scorecardsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/dashboard/scorecards',
  component: page(() => import('./pages/supervision/Scorecards'), 'ScorecardsPage'),
});
const exportsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/exports',
  component: page(() => import('./pages/supervision/Exports'), 'ExportsPage'),
});
const scopesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/supervision-scopes',
  component: page(() => import('./pages/admin/SupervisionScopes'), 'SupervisionScopesPage'),
});
const notificationPreferencesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/notification-preferences',
  component: page(() => import('./pages/NotificationPreferences'), 'NotificationPreferencesPage'),
});
const followUpRoutes = [
  myCommitmentsRoute,
  dashboardRoute,
  scorecardsRoute,
  exportsRoute,
  scopesRoute,
  notificationPreferencesRoute,
];

const routeTree = rootRoute.addChildren([
  signInRoute,
  verifyEvidenceRoute,
  appRoute.addChildren([
    homeRoute,
    inboxRoute,
    profileRoute,
    memorandaRoute,
    newMemorandumRoute,
    memorandumRoute,
    organisationsRoute,
    usersRoute,
    webhooksRoute,
    webhookRoute,
    fromTemplateRoute,
    templatesRoute,
    ...followUpRoutes,
  ]),
]);

export function makeRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, basepath: '/app', context: { queryClient }, defaultPreload: 'intent' });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
