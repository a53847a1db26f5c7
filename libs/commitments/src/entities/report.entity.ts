import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Commitment } from './commitment.entity';

/**
 * What a responsible party did against a commitment (or one occurrence of it).
 * Corrections keep the earlier text in history.
 */
@Entity('activity_reports')
@Index('activity_reports_commitment_idx', ['commitmentId', 'date'])
@Index('activity_reports_organisation_idx', ['organisationId', 'date'])
@Check('activity_reports_participants_check', `"participants" IS NULL OR "participants" >= 0`)
export class ActivityReport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  commitmentId: string;

  @ManyToOne(() => Commitment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'commitment_id' })
  commitment?: Commitment;

  @Column({ type: 'uuid' })
  memorandumId: string;

  @Column({ type: 'date', nullable: true })
  occurrenceDate: string | null;

  /** The reporting party. */
  @Column({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'uuid' })
  authorUserId: string;

  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'integer', nullable: true })
  participants: number | null;

  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  links: string[];

  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
