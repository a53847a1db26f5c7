import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum ScheduledItemKind {
  ApprovalReminder = 'approval_reminder',
  SignatureReminder = 'signature_reminder',
  Escalation = 'escalation',
  TermNotice = 'term_notice',
  Activation = 'activation',
  Expiry = 'expiry',
  Termination = 'termination',
  /** Follow-up: `data` holds occurrenceId, commitmentId, date (and daysBefore for due reminders). */
  CommitmentDue = 'commitment_due',
  /** Timed: marks the occurrence overdue, then sends the first overdue reminder. */
  CommitmentOverdue = 'commitment_overdue',
  CommitmentOverdueReminder = 'commitment_overdue_reminder',
  CommitmentEscalation = 'commitment_escalation',
}
export const SCHEDULED_ITEM_KINDS = Object.values(ScheduledItemKind);

export enum ScheduledItemStatus {
  Pending = 'pending',
  Enqueued = 'enqueued',
  Done = 'done',
  Cancelled = 'cancelled',
}

/**
 * One timer of the schedule (PostgreSQL is its source of truth; BullMQ delayed jobs only wake it).
 * `dedupeKey` names what the item is for, so reacting to the same event twice schedules it once.
 */
@Entity('scheduled_items')
@Check(
  'scheduled_items_kind_check',
  `"kind" IN ('approval_reminder', 'signature_reminder', 'escalation', 'term_notice', 'activation', 'expiry', 'termination', 'commitment_due', 'commitment_overdue', 'commitment_overdue_reminder', 'commitment_escalation')`,
)
@Check('scheduled_items_status_check', `"status" IN ('pending', 'enqueued', 'done', 'cancelled')`)
@Index('scheduled_items_due_idx', ['dueAt'], { where: `"status" IN ('pending', 'enqueued')` })
export class ScheduledItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 32 })
  kind: ScheduledItemKind;

  @Index('scheduled_items_memorandum_idx')
  @Column({ type: 'uuid' })
  memorandumId: string;

  @Column({ type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ type: 'integer', nullable: true })
  revisionNumber: number | null;

  @Column({ type: 'timestamptz' })
  dueAt: Date;

  /** 1 for the first reminder of a series, 2 for the second… */
  @Column({ type: 'integer', default: 1 })
  sequence: number;

  @Column({ type: 'varchar', length: 16, default: ScheduledItemStatus.Pending })
  status: ScheduledItemStatus;

  @Index('scheduled_items_dedupe_key_unique', { unique: true })
  @Column({ type: 'varchar', length: 200 })
  dedupeKey: string;

  /** Details of the item: the stage an escalation is about, days before the end date, … */
  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  firedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  /** What firing did: sent, skipped, applied, … or why it was cancelled. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  outcome: string | null;
}

/** A row of scheduled_items as plain SQL returns it (`SELECT s.*`). */
export interface ScheduledItemRow {
  id: string;
  kind: ScheduledItemKind;
  memorandum_id: string;
  organisation_id: string | null;
  revision_number: number | null;
  due_at: Date;
  sequence: number;
  status: ScheduledItemStatus;
  dedupe_key: string;
  data: Record<string, unknown>;
  created_at: Date;
  fired_at: Date | null;
  cancelled_at: Date | null;
  outcome: string | null;
}

/** The entity of a plain SQL row (hot paths read with one statement instead of TypeORM's query builder). */
export function itemFromRow(r: ScheduledItemRow): ScheduledItem {
  return Object.assign(new ScheduledItem(), {
    id: r.id,
    kind: r.kind,
    memorandumId: r.memorandum_id,
    organisationId: r.organisation_id,
    revisionNumber: r.revision_number,
    dueAt: new Date(r.due_at),
    sequence: r.sequence,
    status: r.status,
    dedupeKey: r.dedupe_key,
    data: r.data ?? {},
    createdAt: new Date(r.created_at),
    firedAt: r.fired_at,
    cancelledAt: r.cancelled_at,
    outcome: r.outcome,
  });
}
