import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Memorandum } from '@kelisim/memoranda';

/** One text commitment as an open amendment proposes it (docs/follow-up.md, "Amendments"). */
export interface DraftCommitment {
  /** The live commitment it continues, or the id the new commitment will have once the amendment takes effect. */
  key: string;
  /** true: continues a live commitment of the executed text; false: added by the amendment. */
  continues: boolean;
  title: string;
  description: string | null;
  clauseRef: string | null;
  leadOrganisationId: string;
  organisationIds: string[];
  targetQuantity: number | null;
  targetUnit: string | null;
  dueDate: string | null;
  rrule: string | null;
  version: number;
  createdByUserId: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * The text commitments of a memorandum's open amendment while it is drafted: a copy of the live text
 * commitments made at the amendment's first commitment edit (or its submission), edited by the coordinator,
 * frozen into each submitted revision (revision_commitments). `amendmentSeq` is the history seq of the
 * `amend` event that opened the amendment: a row of an earlier, withdrawn amendment is recognised and replaced.
 */
@Entity('amendment_commitment_drafts')
export class AmendmentCommitmentDraft {
  @PrimaryColumn({ type: 'uuid' })
  memorandumId: string;

  @ManyToOne(() => Memorandum, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memorandum_id' })
  memorandum?: Memorandum;

  @Column({ type: 'integer' })
  amendmentSeq: number;

  @Column({ type: 'jsonb' })
  items: DraftCommitment[];

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
