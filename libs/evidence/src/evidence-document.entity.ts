import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@kelisim/identity';
import { Memorandum } from '@kelisim/memoranda';
import { EvidenceSealKey } from './evidence-seal-key.entity';

/** A rendered evidence PDF, cached by the history head it reflects (a new event makes a new one). */
@Entity('evidence_documents')
@Index('evidence_documents_head_unique', ['memorandumId', 'headHash'], { unique: true })
@Index('evidence_documents_sha256_idx', ['sha256'])
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

  /** The revision the file is about (null: made before this was recorded). */
  @Column({ type: 'integer', nullable: true })
  revisionNumber: number | null;

  /** Its hash (null: a working draft, or made before this was recorded). */
  @Column({ type: 'char', length: 64, nullable: true })
  revisionHash: string | null;

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

/**
 * One evidence PDF served to someone: the server's record of what it issued, when and to whom.
 * The file's SHA-256, memorandum, revision and history head are its document's.
 */
@Entity('evidence_issues')
@Index('evidence_issues_document_idx', ['documentId', 'issuedAt'])
export class EvidenceIssue {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  documentId: string;

  @ManyToOne(() => EvidenceDocument, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'document_id' })
  document?: EvidenceDocument;

  /** Who asked (null once the user is deleted; their name stays). */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** The user's name when the file was issued. */
  @Column({ type: 'text' })
  issuedTo: string;

  @Column({ type: 'timestamptz' })
  issuedAt: Date;
}

export const EVIDENCE_ENTITIES = [EvidenceDocument, EvidenceIssue, EvidenceSealKey];
