/**
 * The navigation, by section. The follow-up pages (commitments, activity reports) and the
 * supervisor's (dashboard, scorecards, exports, supervision scopes) slot in as further entries
 * here, with their routes in router.tsx and their messages in the `followup` and `supervision`
 * namespaces of the catalogues.
 */
import type { Me } from './api/client';
import type { MessageKey } from './i18n';

export interface NavItem {
  to:
    | '/'
    | '/memoranda'
    | '/inbox'
    | '/profile'
    | '/admin/organisations'
    | '/admin/users'
    | '/admin/webhooks'
    | FollowUpPath;
  label: MessageKey;
  roles?: Me['roles'];
}

export const NAV: NavItem[] = [
  { to: '/', label: 'nav.home' },
  { to: '/memoranda', label: 'nav.memoranda' },
  { to: '/inbox', label: 'nav.inbox' },
  { to: '/admin/organisations', label: 'nav.organisations', roles: ['admin'] },
  { to: '/admin/users', label: 'nav.users', roles: ['admin'] },
  { to: '/admin/webhooks', label: 'nav.webhooks', roles: ['admin', 'coordinator'] },
  // Follow-up and supervision.
  { to: '/commitments', label: 'followup.navMine', roles: ['party_representative', 'signatory'] },
  // The dashboard links its scorecards and exports (calendar feed links) pages.
  {
    to: '/dashboard',
    label: 'supervision.dashboard',
    roles: ['supervisor', 'admin', 'coordinator', 'party_representative'],
  },
  { to: '/admin/supervision-scopes', label: 'supervision.scopes', roles: ['admin'] },
  // Which notices also come by e-mail (GET/PUT /me/notification-preferences).
  { to: '/notification-preferences', label: 'notificationPrefs.nav' },
];

type FollowUpPath = '/commitments' | '/dashboard' | '/admin/supervision-scopes' | '/notification-preferences';
