import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { RevisionParty, RevisionTranslations } from '../revisions/canonical';
import { MemorandumLanguage } from '../vocabulary';
import { Memorandum } from './memorandum.entity';

/**
 * One revision of a memorandum's terms. The working revision (frozen_at null) is edited in draft;
 * submit freezes it with the party list and its SHA-256 and it never changes again.
 */
@Entity('memorandum_revisions')
@Index('memorandum_revisions_number_unique', ['memorandumId', 'number'], { unique: true })
@Check(
  'memorandum_revisions_frozen_check',
  `("hash" IS NULL) = ("frozen_at" IS NULL) AND ("hash" IS NULL) = ("parties" IS NULL)`,
)
@Check('memorandum_revisions_kind_check', `"kind" IN ('original', 'amendment')`)
@Check('memorandum_revisions_language_check', `"language" IN ('kk', 'ru', 'en')`)
@Check('memorandum_revisions_number_check', `"number" >= 1`)
export class MemorandumRevision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  memorandumId: string;

  @ManyToOne(() => Memorandum, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memorandum_id' })
  memorandum?: Memorandum;

  @Column({ type: 'integer' })
  number: number;

  @Column({ type: 'varchar', length: 16, default: 'original' })
  kind: 'original' | 'amendment';

  @Column({ type: 'varchar', length: 500 })
  title: string;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 2 })
  language: MemorandumLanguage;

  @Column({ type: 'varchar', length: 64 })
  timeZone: string;

  @Column({ type: 'date', nullable: true })
  effectiveDate: string | null;

  @Column({ type: 'date', nullable: true })
  endDate: string | null;

  /** The canonical form the hash is taken in (revisions/canonical.ts CANONICAL_VERSION). */
  @Column({ type: 'integer', default: 1 })
  canonicalVersion: number;

  /** The text in other languages (null: only `language`); hashed with the rest when present. */
  @Column({ type: 'jsonb', nullable: true })
  translations: RevisionTranslations | null;

  /** The party list as frozen (organisation, role, order, required signatures). */
  @Column({ type: 'jsonb', nullable: true })
  parties: RevisionParty[] | null;

  @Column({ type: 'char', length: 64, nullable: true })
  hash: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  frozenAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  frozenByUserId: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
