import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { ActivityReport } from './report.entity';

/**
 * Evidence bytes, content-addressed: the same file uploaded twice is stored once. The bytes are in
 * EvidenceBlobChunk rows, so that neither writing nor reading a file holds it whole in memory.
 */
@Entity('evidence_blobs')
@Check('evidence_blobs_sha256_check', `"sha256" ~ '^[0-9a-f]{64}$'`)
export class EvidenceBlob {
  @PrimaryColumn({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}

/** Bytes of an evidence blob in EVIDENCE_CHUNK_BYTES pieces, `seq` from 0; their concatenation hashes to `sha256`. */
@Entity('evidence_blob_chunks')
export class EvidenceBlobChunk {
  @PrimaryColumn({ type: 'char', length: 64 })
  sha256: string;

  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @ManyToOne(() => EvidenceBlob, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sha256', referencedColumnName: 'sha256' })
  blob?: EvidenceBlob;

  @Column({ type: 'bytea' })
  bytes: Buffer;
}

/** One evidence file of a report: its name and declared type, pointing at the blob by hash. */
@Entity('evidence_files')
@Index('evidence_files_report_idx', ['reportId'])
export class EvidenceFile {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  reportId: string;

  @ManyToOne(() => ActivityReport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id' })
  report?: ActivityReport;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @ManyToOne(() => EvidenceBlob, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sha256', referencedColumnName: 'sha256' })
  blob?: EvidenceBlob;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 100 })
  contentType: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
