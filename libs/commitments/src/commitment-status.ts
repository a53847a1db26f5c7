/**
 * The commitment state machine as data: (from, action) → to. `overdue` is set only by the timer
 * the day after an unfinished due date; `completed` and `cancelled` are final. Pure.
 */
import { CommitmentStatus as S } from './vocabulary';

export type CommitmentAction = 'start' | 'complete' | 'cancel' | 'overdue';

export interface CommitmentRule {
  from: S;
  action: CommitmentAction;
  to: S;
}

export const COMMITMENT_TRANSITIONS: CommitmentRule[] = [
  { from: S.Planned, action: 'start', to: S.InProgress },
  { from: S.Planned, action: 'complete', to: S.Completed },
  { from: S.InProgress, action: 'complete', to: S.Completed },
  { from: S.Overdue, action: 'complete', to: S.Completed },
  { from: S.Planned, action: 'cancel', to: S.Cancelled },
  { from: S.InProgress, action: 'cancel', to: S.Cancelled },
  { from: S.Overdue, action: 'cancel', to: S.Cancelled },
  { from: S.Planned, action: 'overdue', to: S.Overdue },
  { from: S.InProgress, action: 'overdue', to: S.Overdue },
];

export function nextStatus(from: S, action: CommitmentAction): S | null {
  return COMMITMENT_TRANSITIONS.find((r) => r.from === from && r.action === action)?.to ?? null;
}

/** The actions people may take from a status (the timer's `overdue` is not one). */
export function allowedCommitmentActions(from: S): CommitmentAction[] {
  return COMMITMENT_TRANSITIONS.filter((r) => r.from === from && r.action !== 'overdue').map((r) => r.action);
}

export const OPEN_STATUSES: S[] = [S.Planned, S.InProgress, S.Overdue];

/**
 * A commitment's status from its occurrences after one of them changed: all finished → completed
 * (cancelled when none was completed); any overdue → overdue; otherwise it stays as it was.
 */
export function statusFromOccurrences(current: S, occurrences: S[]): S {
  if (!occurrences.length) return current;
  if (occurrences.every((s) => s === S.Completed || s === S.Cancelled))
    return occurrences.includes(S.Completed) ? S.Completed : S.Cancelled;
  if (occurrences.includes(S.Overdue)) return S.Overdue;
  return current === S.Overdue ? S.InProgress : current;
}

/**
 * A commitment's status after an amendment re-planned its occurrences: all finished → completed (cancelled when
 * none was completed); any overdue → overdue; open ones again after it had finished or been overdue → in_progress
 * when one was completed, else planned; otherwise it stays as it was.
 */
export function statusAfterReplan(current: S, occurrences: S[]): S {
  if (!occurrences.length) return current;
  if (occurrences.every((s) => s === S.Completed || s === S.Cancelled))
    return occurrences.includes(S.Completed) ? S.Completed : S.Cancelled;
  if (occurrences.includes(S.Overdue)) return S.Overdue;
  if (current === S.Completed || current === S.Cancelled || current === S.Overdue)
    return occurrences.includes(S.Completed) ? S.InProgress : S.Planned;
  return current;
}
