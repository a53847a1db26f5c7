/**
 * The typed search parameters and tab names the routes (router.tsx) and the pages share: kept out
 * of router.tsx so that a page never imports the router that loads it (no import cycle).
 */
import { z } from 'zod';

export const STATUSES = [
  'draft',
  'in_review',
  'approved',
  'signing',
  'executed',
  'active',
  'expired',
  'terminated',
  'withdrawn',
] as const;
export const MEMORANDUM_TABS = [
  'overview',
  'text',
  'revisions',
  'approvals',
  'signing',
  'history',
  'reminders',
  // Follow-up (commitments, reports, the memorandum's timeline).
  'commitments',
  'timeline',
] as const;
export type MemorandumTab = (typeof MEMORANDUM_TABS)[number];

// Follow-up and supervision: the dashboard's filters live in the URL.
export const DASHBOARD_STATUSES = ['planned', 'in_progress', 'completed', 'cancelled', 'overdue'] as const;
const ymd = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);
export const dashboardSearch = z.object({
  organisationId: z.string().uuid().optional().catch(undefined),
  state: z.enum(STATUSES).optional().catch(undefined),
  status: z.enum(DASHBOARD_STATUSES).optional().catch(undefined),
  from: ymd,
  to: ymd,
  withinDays: z.coerce.number().int().min(1).max(3650).catch(30).default(30),
  page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
});
export type DashboardSearch = z.output<typeof dashboardSearch>;
