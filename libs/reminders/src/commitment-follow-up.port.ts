/**
 * What the schedule needs from follow-up (libs/commitments owns the tables and implements it; the
 * worker binds it): the open occurrences to remind about, one occurrence's facts when its item
 * fires, the overdue timed transition, and re-planning occurrences after a renewal or amendment.
 */
import { EntityManager } from 'typeorm';

/**
 * The events follow-up publishes through the outbox (aggregate type `memorandum`, so they queue
 * behind the memorandum's own): payload `commitmentId`, and `occurrenceDate` when about one occurrence.
 * Declared here, beside the port, because the schedule reacts to them and must not import libs/commitments.
 */
export enum CommitmentEventType {
  CommitmentAdded = 'commitment.added',
  CommitmentChanged = 'commitment.changed',
  CommitmentCompleted = 'commitment.completed',
  CommitmentCancelled = 'commitment.cancelled',
  CommitmentOverdue = 'commitment.overdue',
  /** A responsible party filed an activity report: payload `reportId`, `organisationId` (the reporting party), `occurrenceDate`. */
  ReportFiled = 'report.filed',
}

export interface OccurrenceFacts {
  id: string;
  commitmentId: string;
  memorandumId: string;
  title: string;
  date: string;
  /** The start of the next day in the memorandum's time zone. */
  overdueAt: Date;
  status: string;
  /** Planned, in progress or overdue, and the memorandum is active. */
  open: boolean;
  responsibleOrganisationIds: string[];
}

export abstract class CommitmentFollowUp {
  /** Open occurrences of the memorandum's commitments (of one commitment when given). */
  abstract openOccurrences(m: EntityManager, memorandumId: string, commitmentId?: string): Promise<OccurrenceFacts[]>;
  abstract occurrence(m: EntityManager, occurrenceId: string): Promise<OccurrenceFacts | null>;
  /** A commitment's title and lead party (notices about it), or null when there is none. */
  abstract commitment(
    m: EntityManager,
    commitmentId: string,
  ): Promise<{ title: string; leadOrganisationId: string } | null>;
  /** The timed transition; idempotent ('skipped' when already overdue, finished, or not yet due). */
  abstract markOverdue(occurrenceId: string): Promise<'applied' | 'skipped'>;
  /** After the term changed (renewal, amendment): recurring commitments get their dates within the new term. */
  abstract replan(m: EntityManager, memorandumId: string): Promise<void>;
}

/** Where follow-up is not mounted: no occurrences, nothing to mark. */
export class NoCommitmentFollowUp extends CommitmentFollowUp {
  async openOccurrences(): Promise<OccurrenceFacts[]> {
    return [];
  }
  async occurrence(): Promise<OccurrenceFacts | null> {
    return null;
  }
  async commitment(): Promise<{ title: string; leadOrganisationId: string } | null> {
    return null;
  }
  async markOverdue(): Promise<'applied' | 'skipped'> {
    return 'skipped';
  }
  async replan(): Promise<void> {}
}
