/**
 * The one builder of scheduled items' dedupe keys. A key names what an item is for, so reacting to
 * the same event twice (or a reminder firing twice) schedules it once; keys are stored, so their
 * shapes here must not change.
 */
type Series = { stage: 'review' | 'signing'; memorandumId: string; organisationId: string; revisionNumber: number };

export type DedupeSubject =
  | ({ kind: 'reminder'; sequence: number } & Series)
  | ({ kind: 'escalation' } & Series)
  | { kind: 'activation'; memorandumId: string; effectiveDate: string | null; revisionNumber: number }
  | { kind: 'expiry'; memorandumId: string; endDate: string }
  | { kind: 'term_notice'; memorandumId: string; endDate: string; daysBefore: number }
  | { kind: 'termination'; memorandumId: string; terminationDate: string }
  | { kind: 'commitment_due'; occurrenceId: string; daysBefore: number }
  | { kind: 'commitment_overdue'; occurrenceId: string }
  | { kind: 'commitment_overdue_reminder'; occurrenceId: string; sequence: number }
  | { kind: 'commitment_escalation'; occurrenceId: string };

function seriesKey(s: Series): string {
  return `${s.stage === 'review' ? 'approval' : 'signature'}:${s.memorandumId}:${s.organisationId}:r${s.revisionNumber}`;
}

export function dedupeKey(subject: DedupeSubject): string {
  switch (subject.kind) {
    case 'reminder':
      return `${seriesKey(subject)}:${subject.sequence}`;
    case 'escalation':
      return `escalation:${seriesKey(subject)}`;
    case 'activation':
      return `activation:${subject.memorandumId}:${subject.effectiveDate ?? 'now'}:r${subject.revisionNumber}`;
    case 'expiry':
      return `expiry:${subject.memorandumId}:${subject.endDate}`;
    case 'term_notice':
      return `term:${subject.memorandumId}:${subject.endDate}:${subject.daysBefore}`;
    case 'termination':
      return `termination:${subject.memorandumId}:${subject.terminationDate}`;
    case 'commitment_due':
      return `commitment-due:${subject.occurrenceId}:${subject.daysBefore}`;
    case 'commitment_overdue':
      return `commitment-overdue:${subject.occurrenceId}`;
    case 'commitment_overdue_reminder':
      return `commitment-overdue:${subject.occurrenceId}:${subject.sequence}`;
    case 'commitment_escalation':
      return `commitment-escalation:${subject.occurrenceId}`;
  }
}
