/**
 * Reminder policies as data (docs/reminders.md): the defaults
 * below apply unless a memorandum stores its own row in `reminder_policies`. Pure; no framework.
 */
export type PolicyKind = 'review' | 'signing' | 'term_end' | 'commitment_due' | 'commitment_overdue';
export const POLICY_KINDS: PolicyKind[] = ['review', 'signing', 'term_end', 'commitment_due', 'commitment_overdue'];
export type EscalationTarget = 'supervisors' | 'none';

export interface EffectivePolicy {
  kind: PolicyKind;
  enabled: boolean;
  /** review, signing: days between reminders (the first one `intervalDays` after the stage opened). */
  intervalDays: number | null;
  /** review, signing: reminders before escalating. */
  maxCount: number | null;
  /** term_end: notices this many days before the end date. */
  offsetsDays: number[] | null;
  escalateTo: EscalationTarget;
}

export const DEFAULT_POLICIES: Record<PolicyKind, EffectivePolicy> = {
  review: { kind: 'review', enabled: true, intervalDays: 3, maxCount: 3, offsetsDays: null, escalateTo: 'supervisors' },
  signing: {
    kind: 'signing',
    enabled: true,
    intervalDays: 2,
    maxCount: 3,
    offsetsDays: null,
    escalateTo: 'supervisors',
  },
  term_end: {
    kind: 'term_end',
    enabled: true,
    intervalDays: null,
    maxCount: null,
    offsetsDays: [90, 30],
    escalateTo: 'none',
  },
  /** Reminders to the responsible parties this many days before an occurrence's date. */
  commitment_due: {
    kind: 'commitment_due',
    enabled: true,
    intervalDays: null,
    maxCount: null,
    offsetsDays: [7, 1],
    escalateTo: 'none',
  },
  /** Overdue the day after: a notice then, reminders every `intervalDays`, escalation after `maxCount` of them. */
  commitment_overdue: {
    kind: 'commitment_overdue',
    enabled: true,
    intervalDays: 7,
    maxCount: 2,
    offsetsDays: null,
    escalateTo: 'supervisors',
  },
};

export const DAY_MS = 24 * 3600 * 1000;

export interface PolicyOverride {
  enabled?: boolean | null;
  intervalDays?: number | null;
  maxCount?: number | null;
  offsetsDays?: number[] | null;
  escalateTo?: string | null;
}

/** The default with a memorandum's stored values laid over it. */
export function effectivePolicy(kind: PolicyKind, override?: PolicyOverride | null): EffectivePolicy {
  const base = DEFAULT_POLICIES[kind];
  if (!override) return { ...base };
  return {
    kind,
    enabled: override.enabled ?? base.enabled,
    intervalDays: override.intervalDays ?? base.intervalDays,
    maxCount: override.maxCount ?? base.maxCount,
    offsetsDays: override.offsetsDays ?? base.offsetsDays,
    escalateTo: (override.escalateTo as EscalationTarget | null | undefined) ?? base.escalateTo,
  };
}

/** Refusals of a policy a coordinator wants to store, as field errors (empty: valid). */
export function validatePolicy(kind: string, p: PolicyOverride): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  if (!POLICY_KINDS.includes(kind as PolicyKind))
    errors.push({ field: 'kind', message: `must be one of ${POLICY_KINDS.join(', ')}` });
  const int = (v: unknown, min: number, max: number) =>
    v === undefined || v === null || (Number.isInteger(v) && (v as number) >= min && (v as number) <= max);
  if (!int(p.intervalDays, 1, 365)) errors.push({ field: 'intervalDays', message: 'must be an integer from 1 to 365' });
  if (!int(p.maxCount, 0, 50)) errors.push({ field: 'maxCount', message: 'must be an integer from 0 to 50' });
  if (
    p.offsetsDays !== undefined &&
    p.offsetsDays !== null &&
    (!Array.isArray(p.offsetsDays) ||
      p.offsetsDays.length > 10 ||
      !p.offsetsDays.every((d) => Number.isInteger(d) && d >= 1 && d <= 3650))
  ) {
    errors.push({ field: 'offsetsDays', message: 'must be up to 10 integers from 1 to 3650' });
  }
  if (p.escalateTo !== undefined && p.escalateTo !== null && !['supervisors', 'none'].includes(p.escalateTo)) {
    errors.push({ field: 'escalateTo', message: 'must be supervisors or none' });
  }
  if (p.enabled !== undefined && p.enabled !== null && typeof p.enabled !== 'boolean')
    errors.push({ field: 'enabled', message: 'must be a boolean' });
  return errors;
}

export type NextStep =
  { step: 'reminder'; sequence: number; dueAt: Date } | { step: 'escalation'; dueAt: Date } | { step: 'none' };

/** First reminder of a stage opened at `openedAt`, or nothing if the policy is off. */
export function firstReminder(policy: EffectivePolicy, openedAt: Date): NextStep {
  if (!policy.enabled || !policy.intervalDays) return { step: 'none' };
  const dueAt = new Date(openedAt.getTime() + policy.intervalDays * DAY_MS);
  if ((policy.maxCount ?? 0) < 1)
    return policy.escalateTo === 'supervisors' ? { step: 'escalation', dueAt } : { step: 'none' };
  return { step: 'reminder', sequence: 1, dueAt };
}

/** After reminder number `sequence` (due at `dueAt`) fired: the next reminder, the escalation, or nothing. */
export function afterReminder(policy: EffectivePolicy, sequence: number, dueAt: Date): NextStep {
  if (!policy.enabled || !policy.intervalDays) return { step: 'none' };
  const next = new Date(dueAt.getTime() + policy.intervalDays * DAY_MS);
  if (sequence < (policy.maxCount ?? 0)) return { step: 'reminder', sequence: sequence + 1, dueAt: next };
  return policy.escalateTo === 'supervisors' ? { step: 'escalation', dueAt: next } : { step: 'none' };
}
