import { Check, Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A memorandum's override of one default reminder policy (policies.ts). No row: the default applies.
 */
@Entity('reminder_policies')
@Index('reminder_policies_memorandum_kind_unique', ['memorandumId', 'kind'], { unique: true })
@Check(
  'reminder_policies_kind_check',
  `"kind" IN ('review', 'signing', 'term_end', 'commitment_due', 'commitment_overdue')`,
)
@Check('reminder_policies_escalate_to_check', `"escalate_to" IN ('supervisors', 'none')`)
export class ReminderPolicy {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  memorandumId: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'integer', nullable: true })
  intervalDays: number | null;

  @Column({ type: 'integer', nullable: true })
  maxCount: number | null;

  /** Days before a date (term_end: [90, 30]). */
  @Column({ type: 'integer', array: true, nullable: true })
  offsetsDays: number[] | null;

  @Column({ type: 'varchar', length: 16, default: 'supervisors' })
  escalateTo: string;

  @Column({ type: 'uuid', nullable: true })
  updatedBy: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
