/** The public vocabulary of follow-up (docs/follow-up.md). */
export enum CommitmentStatus {
  Planned = 'planned',
  InProgress = 'in_progress',
  Completed = 'completed',
  Cancelled = 'cancelled',
  Overdue = 'overdue',
}
export const COMMITMENT_STATUSES = Object.values(CommitmentStatus);

/** `text`: written in the draft, part of the signed revision; `plan`: added to the activity plan while active. */
export enum CommitmentOrigin {
  Text = 'text',
  Plan = 'plan',
}
export const COMMITMENT_ORIGINS = Object.values(CommitmentOrigin);

export const MAX_OCCURRENCES = 500;
