import { Column, Entity, PrimaryColumn } from 'typeorm';
import { RevisionCommitment } from '@kelisim/memoranda';

/** The commitments frozen into a submitted revision, in the canonical form its hash covers. */
@Entity('revision_commitments')
export class RevisionCommitmentsRow {
  @PrimaryColumn({ type: 'uuid' })
  memorandumId: string;

  @PrimaryColumn({ type: 'integer' })
  revisionNumber: number;

  @Column({ type: 'jsonb' })
  commitments: RevisionCommitment[];

  @Column({ type: 'timestamptz' })
  frozenAt: Date;
}
