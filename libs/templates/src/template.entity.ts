import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Organisation } from '@kelisim/identity';
import { Memorandum, RevisionText, SignatureLevel } from '@kelisim/memoranda';
import type { PutReminderPoliciesDto } from '@kelisim/reminders';
import type { PlaceholderDeclaration } from './placeholders';

/**
 * A memorandum template. `organisationId` owns it (null: shipped with Kelisim, like the Taraz
 * memorandum); `shared` makes it visible to every organisation. Its content lives in versions:
 * an edit adds a version, and a memorandum records the version it was made from.
 */
@Entity('templates')
@Check('templates_current_version_check', `"current_version" >= 1`)
export class MemorandumTemplate {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('templates_organisation_idx')
  @Column({ type: 'uuid', nullable: true })
  organisationId: string | null;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  @Column({ type: 'boolean', default: false })
  shared: boolean;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'integer', default: 1 })
  currentVersion: number;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}

export interface TemplateDefaults {
  timeZone?: string;
  effectiveDate?: string;
  endDate?: string;
  orderedReview?: boolean;
  /** The memorandum's required signature level (docs/signatures.md). */
  signatureLevel?: SignatureLevel;
  equallyAuthentic?: boolean;
  /** As PUT /memoranda/{id}/reminder-policies takes them. */
  reminderPolicies?: PutReminderPoliciesDto;
}

/** What a memorandum made from the template should commit its parties to (turned into commitments later). */
export interface CommitmentBlueprint {
  key: string;
  title: string;
  description?: string;
  clauseRef?: string;
  rrule?: string;
  dueAfterMonths?: number;
}

@Entity('template_versions')
@Index('template_versions_unique', ['templateId', 'version'], { unique: true })
@Check('template_versions_language_check', `"language" IN ('kk', 'ru', 'en')`)
@Check('template_versions_version_check', `"version" >= 1`)
export class TemplateVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  templateId: string;

  @ManyToOne(() => MemorandumTemplate, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'template_id' })
  template?: MemorandumTemplate;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** The original language (the memorandum's `language`); the other texts become its translations. */
  @Column({ type: 'varchar', length: 2 })
  language: string;

  @Column({ type: 'jsonb' })
  texts: Partial<Record<string, RevisionText>>;

  @Column({ type: 'jsonb' })
  placeholders: PlaceholderDeclaration[];

  @Column({ type: 'jsonb' })
  defaults: TemplateDefaults;

  @Column({ type: 'jsonb' })
  commitmentBlueprints: CommitmentBlueprint[];

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * A memorandum made from a template: the version, the values given for its placeholders and the
 * commitment blueprints with those values filled in — what the memorandum's commitments are to
 * be made from (docs/api.md, "Templates").
 */
@Entity('template_instances')
export class TemplateInstance {
  @PrimaryColumn({ type: 'uuid' })
  memorandumId: string;

  @ManyToOne(() => Memorandum, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memorandum_id' })
  memorandum?: Memorandum;

  @Index('template_instances_template_idx')
  @Column({ type: 'uuid' })
  templateId: string;

  @ManyToOne(() => MemorandumTemplate, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'template_id' })
  template?: MemorandumTemplate;

  @Column({ type: 'integer' })
  templateVersion: number;

  @Column({ type: 'jsonb' })
  values: Record<string, string>;

  @Column({ type: 'jsonb' })
  commitmentBlueprints: CommitmentBlueprint[];

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}

export const TEMPLATE_ENTITIES = [MemorandumTemplate, TemplateVersion, TemplateInstance];
