import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Organisation } from '@kelisim/identity';
import type { RevisionTranslations } from '../revisions/canonical';
import { AmendmentStatus, MemorandumLanguage, MemorandumStatus, SignatureLevel, SigningMode } from '../vocabulary';

/**
 * A memorandum. Its text columns hold the governing terms: the working revision until the first
 * execution, the executed revision afterwards (an open amendment edits only its own revision row).
 * `version` is bumped by every write, under the row lock; `status` is written only by
 * MemorandumTransitionsService.
 */
@Entity('memoranda')
/** Partial index on amendment_status (migration 1795005000000, the dashboard's waiting parties); TypeORM leaves it alone. */
@Index('memoranda_amendment_status_idx', { synchronize: false })
// Trigram GIN indexes for the list's ?q= (migration 1795005700000-MemorandaSearch); TypeORM cannot describe gin_trgm_ops.
@Index('memoranda_title_trgm_idx', { synchronize: false })
@Index('memoranda_purpose_trgm_idx', { synchronize: false })
@Check(
  'memoranda_status_check',
  `"status" IN ('draft', 'in_review', 'approved', 'signing', 'executed', 'active', 'expired', 'terminated', 'withdrawn')`,
)
@Check(
  'memoranda_amendment_status_check',
  `"amendment_status" IS NULL OR ("status" = 'active' AND "amendment_status" IN ('draft', 'in_review', 'approved', 'signing'))`,
)
@Check('memoranda_language_check', `"language" IN ('kk', 'ru', 'en')`)
@Check('memoranda_signing_mode_check', `"signing_mode" IS NULL OR "signing_mode" IN ('parallel', 'sequential')`)
@Check('memoranda_term_check', `"effective_date" IS NULL OR "end_date" IS NULL OR "end_date" > "effective_date"`)
@Check('memoranda_version_check', `"version" >= 1`)
@Check('memoranda_signature_level_check', `"signature_level" IN ('electronic', 'digital')`)
export class Memorandum {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 500 })
  title: string;

  @Column({ type: 'text' })
  purpose: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 2 })
  language: MemorandumLanguage;

  @Column({ type: 'varchar', length: 64, default: 'Asia/Almaty' })
  timeZone: string;

  @Column({ type: 'date', nullable: true })
  effectiveDate: string | null;

  @Column({ type: 'date', nullable: true })
  endDate: string | null;

  /** The governing text in other languages, as `title`/`purpose`/`body` are the governing text in `language`. */
  @Column({ type: 'jsonb', nullable: true })
  translations: RevisionTranslations | null;

  /**
   * Translations (languages of `translations`) whose text did not change in an edit that changed the
   * original's: they may no longer say the same. Not part of the revision (nor of its hash): a warning
   * for the coordinator and the reviewers, cleared by editing the translation or confirming it checked.
   */
  @Column({ type: 'varchar', length: 2, array: true, default: () => "'{}'" })
  staleTranslations: string[];

  /** The template (and its version) the memorandum was created from, if any (libs/templates). */
  @Column({ type: 'uuid', nullable: true })
  templateId: string | null;

  @Column({ type: 'integer', nullable: true })
  templateVersion: number | null;

  @Index('memoranda_coordinating_organisation_idx')
  @Column({ type: 'uuid' })
  coordinatingOrganisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'coordinating_organisation_id' })
  coordinatingOrganisation?: Organisation;

  @Index('memoranda_status_idx')
  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status: MemorandumStatus;

  @Column({ type: 'varchar', length: 16, nullable: true })
  amendmentStatus: AmendmentStatus | null;

  /** Parties decide in their order (each after every earlier signatory party approved). */
  @Column({ type: 'boolean', default: false })
  orderedReview: boolean;

  @Column({ type: 'varchar', length: 16, nullable: true })
  signingMode: SigningMode | null;

  /** `digital`: signatories sign with their own key (a CMS), and the typed-name electronic method is refused. */
  @Column({ type: 'varchar', length: 16, default: 'electronic' })
  signatureLevel: SignatureLevel;

  @Column({ type: 'jsonb', nullable: true })
  ceremony: { date?: string; place?: string } | null;

  @Column({ type: 'integer', default: 1 })
  version: number;

  /** The revision being worked on or reviewed/signed (frozen from submit on). */
  @Column({ type: 'integer', default: 1 })
  currentRevisionNumber: number;

  /** The revision in force (set at execution, moved by an executed amendment). */
  @Column({ type: 'integer', nullable: true })
  executedRevisionNumber: number | null;

  @Column({ type: 'date', nullable: true })
  terminationDate: string | null;

  /** A termination given for a future date: the memorandum stays in force until the timer ends it at 00:00 of that date. */
  @Column({ type: 'date', nullable: true })
  pendingTerminationDate: string | null;

  @Column({ type: 'text', nullable: true })
  pendingTerminationReason: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  /** GET /memoranda lists newest first. */
  @Index('memoranda_created_at_idx')
  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
