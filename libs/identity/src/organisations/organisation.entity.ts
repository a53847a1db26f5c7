import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Language, OrganisationKind } from '../vocabulary';

@Entity('organisations')
@Check('organisations_language_check', `"language" IN ('kk', 'ru', 'en')`)
@Check(
  'organisations_kind_check',
  `"kind" IN ('public_institution', 'government_office', 'youth_organisation', 'university', 'ngo', 'media', 'company', 'other')`,
)
@Check('organisations_bin_check', `"bin" IS NULL OR "bin" ~ '^[0-9]{12}$'`)
export class Organisation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'varchar', length: 100 })
  shortName: string;

  @Column({ type: 'varchar', length: 40 })
  kind: OrganisationKind;

  /** Business identification number (БИН), 12 digits. */
  @Index('organisations_bin_unique', { unique: true, where: '"bin" IS NOT NULL' })
  @Column({ type: 'varchar', length: 12, nullable: true })
  bin: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 2 })
  language: Language;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** An organisation of the installation itself (the operator's): never offered as a party. */
  @Column({ type: 'boolean', default: false })
  system: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
