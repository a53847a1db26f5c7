import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Organisation } from '@kelisim/identity';
import { Memorandum } from '@kelisim/memoranda';
import { CommitmentOrigin, CommitmentStatus } from '../vocabulary';

/**
 * What a memorandum obliges its parties to do. Its status is written only by CommitmentsService;
 * dated occurrences (commitment_occurrences) carry the due dates, one per date of its recurrence.
 */
@Entity('commitments')
@Index('commitments_memorandum_idx', ['memorandumId', 'createdAt'])
@Index('commitments_lead_idx', ['leadOrganisationId', 'status'])
/** lead OR responsible (the organisation feed): a GIN index, migration 1795005000000; TypeORM leaves it alone. */
@Index('commitments_organisation_ids_gin', { synchronize: false })
@Check('commitments_status_check', `"status" IN ('planned', 'in_progress', 'completed', 'cancelled', 'overdue')`)
@Check('commitments_origin_check', `"origin" IN ('text', 'plan')`)
@Check('commitments_target_check', `("target_quantity" IS NULL) = ("target_unit" IS NULL)`)
export class Commitment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  memorandumId: string;

  @ManyToOne(() => Memorandum, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memorandum_id' })
  memorandum?: Memorandum;

  @Column({ type: 'varchar', length: 8 })
  origin: CommitmentOrigin;

  @Column({ type: 'varchar', length: 500 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  clauseRef: string | null;

  @Column({ type: 'uuid' })
  leadOrganisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'lead_organisation_id' })
  leadOrganisation?: Organisation;

  /** The other responsible parties (besides the lead). */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  organisationIds: string[];

  @Column({ type: 'integer', nullable: true })
  targetQuantity: number | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  targetUnit: string | null;

  @Column({ type: 'date', nullable: true })
  dueDate: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  rrule: string | null;

  @Column({ type: 'varchar', length: 16, default: CommitmentStatus.Planned })
  status: CommitmentStatus;

  /** The revision a text commitment was frozen into at submission; null while only in the draft, and for plan ones. */
  @Column({ type: 'integer', nullable: true })
  frozenRevisionNumber: number | null;

  /** The amendment revision that removed a text commitment from the memorandum's text (it was cancelled then). */
  @Column({ type: 'integer', nullable: true })
  removedInRevision: number | null;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
