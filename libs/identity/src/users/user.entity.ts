import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Organisation } from '../organisations/organisation.entity';
import { Language, Role } from '../vocabulary';

@Entity('users')
@Check('users_language_check', `"language" IN ('kk', 'ru', 'en')`)
@Check('users_iin_check', `"iin" IS NULL OR "iin" ~ '^[0-9]{12}$'`)
@Check(
  'users_roles_check',
  `"roles" <@ ARRAY['coordinator', 'party_representative', 'signatory', 'supervisor', 'admin']::varchar[] AND cardinality("roles") > 0`,
)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  fullName: string;

  /** Stored lower-cased, so uniqueness is case-insensitive. */
  @Index('users_email_unique', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 200, select: false })
  passwordHash: string;

  @Index('users_organisation_idx')
  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  @Column({ type: 'varchar', length: 32, array: true })
  roles: Role[];

  @Column({ type: 'varchar', length: 2 })
  language: Language;

  /** Individual identification number (ИИН); a digital signature's certificate must carry the same. */
  @Column({ type: 'varchar', length: 12, nullable: true })
  iin: string | null;

  /** IANA zone for the user's quiet hours; null: the memorandum's zone is used. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  timeZone: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /**
   * Set by an admin's password reset (a temporary password): until the user changes it, their
   * session may do nothing else (AccessGuard). Changing the password clears it.
   */
  @Column({ type: 'boolean', default: false })
  mustChangePassword: boolean;

  /**
   * Moved on by the database (triggers of migration 1795007200000) whenever the user is
   * deactivated, their password changes, or their organisation is deactivated — whoever writes it,
   * SQL included. A credential issued under an older generation is dead for good: reactivating
   * the account does not bring it back (`credentialIsCurrent`).
   */
  @Column({ type: 'integer', default: 0, select: false })
  credentialGeneration: number;

  /** When the generation last moved: the time the user's older credentials stopped working. */
  @Column({ type: 'timestamptz', nullable: true, select: false })
  credentialsChangedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
