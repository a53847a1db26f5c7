import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CommitmentStatus } from '../vocabulary';
import { Commitment } from './commitment.entity';

/**
 * One dated occurrence of a commitment (its due date, or one date of its RRULE), tracked on its own.
 * `overdueAt` is the instant it becomes overdue if unfinished: the start of the next day in the
 * memorandum's time zone. `organisationId` (the lead) and `memorandumId` are copied for the dashboards' indexes.
 */
@Entity('commitment_occurrences')
@Index('commitment_occurrences_date_unique', ['commitmentId', 'date'], { unique: true })
@Index('commitment_occurrences_org_status_date_idx', ['organisationId', 'status', 'date'])
@Index('commitment_occurrences_memorandum_idx', ['memorandumId', 'date'])
@Index('commitment_occurrences_status_date_idx', ['status', 'date'])
/** Urgency order of the dashboard's list (an expression index, migration 1795005000000; TypeORM leaves it alone). */
@Index('commitment_occurrences_urgency_idx', { synchronize: false })
@Index('commitment_occurrences_memorandum_urgency_idx', { synchronize: false })
@Check(
  'commitment_occurrences_status_check',
  `"status" IN ('planned', 'in_progress', 'completed', 'cancelled', 'overdue')`,
)
export class CommitmentOccurrence {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  commitmentId: string;

  @ManyToOne(() => Commitment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'commitment_id' })
  commitment?: Commitment;

  @Column({ type: 'uuid' })
  memorandumId: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'timestamptz' })
  overdueAt: Date;

  @Column({ type: 'varchar', length: 16, default: CommitmentStatus.Planned })
  status: CommitmentStatus;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  completedByUserId: string | null;

  /** Completed after `overdueAt`. */
  @Column({ type: 'boolean', default: false })
  late: boolean;
}
