import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Memorandum } from '@kelisim/memoranda';
import { EvidenceSealKey } from './evidence-seal-key.entity';

/** A rendered evidence PDF, cached by the history head it reflects (a new event makes a new one). */
@Entity('evidence_documents')
@Index('evidence_documents_head_unique', ['memorandumId', 'headHash'], { unique: true })
export class EvidenceDocument {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  memorandumId: string;

  @ManyToOne(() => Memorandum, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memorandum_id' })
  memorandum?: Memorandum;

  @Column({ type: 'integer' })
  headSeq: number;

  @Column({ type: 'char', length: 64 })
  headHash: string;

  /** SHA-256 of the whole file as served. */
  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'boolean', default: false })
  sealed: boolean;

  @Column({ type: 'bytea' })
  pdf: Buffer;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}

export const EVIDENCE_ENTITIES = [EvidenceDocument, EvidenceSealKey];
