import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Organisation, User } from '@kelisim/identity';
import { Decision } from '../vocabulary';
import { Memorandum } from './memorandum.entity';

/** A party's decision (or comment) on one frozen revision; at most one decision per party per revision. */
@Entity('memorandum_approvals')
@Index('memorandum_approvals_one_decision_per_party', ['memorandumId', 'revisionNumber', 'organisationId'], {
  unique: true,
  where: `"decision" <> 'comment'`,
})
@Index('memorandum_approvals_revision_idx', ['memorandumId', 'revisionNumber'])
@Check('memorandum_approvals_decision_check', `"decision" IN ('approve', 'request_changes', 'decline', 'comment')`)
@Check(
  'memorandum_approvals_comment_check',
  `"decision" = 'approve' OR ("comment" IS NOT NULL AND length(btrim("comment")) > 0)`,
)
export class MemorandumApproval {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  memorandumId: string;

  @ManyToOne(() => Memorandum, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memorandum_id' })
  memorandum?: Memorandum;

  @Column({ type: 'integer' })
  revisionNumber: number;

  @Column({ type: 'char', length: 64 })
  revisionHash: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  @Column({ type: 'varchar', length: 16 })
  decision: Decision;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'timestamptz' })
  decidedAt: Date;
}
