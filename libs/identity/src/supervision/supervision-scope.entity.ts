import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Organisation } from '../organisations/organisation.entity';
import { User } from '../users/user.entity';

/** What a scope covers: every memorandum (national supervision), an organisation's, or one memorandum. */
export enum SupervisionScopeKind {
  Global = 'global',
  Organisation = 'organisation',
  Memorandum = 'memorandum',
}
export const SUPERVISION_SCOPE_KINDS = Object.values(SupervisionScopeKind);

/**
 * What a supervisor supervises: everything (`global`), an organisation (every memorandum it
 * coordinates or is party to) or one memorandum. A supervisor without any scope supervises
 * nothing: a supervisor created by mistake, or whose last scope was removed, must not read every
 * memorandum. `memorandumId` has no foreign key: memoranda live in a library above identity (and
 * are never deleted).
 */
@Entity('supervision_scopes')
@Check(
  'supervision_scopes_target_check',
  `("kind" = 'global' AND "organisation_id" IS NULL AND "memorandum_id" IS NULL)
   OR ("kind" = 'organisation' AND "organisation_id" IS NOT NULL AND "memorandum_id" IS NULL)
   OR ("kind" = 'memorandum' AND "memorandum_id" IS NOT NULL AND "organisation_id" IS NULL)`,
)
@Index('supervision_scopes_organisation_unique', ['supervisorUserId', 'organisationId'], {
  unique: true,
  where: '"organisation_id" IS NOT NULL',
})
@Index('supervision_scopes_memorandum_unique', ['supervisorUserId', 'memorandumId'], {
  unique: true,
  where: '"memorandum_id" IS NOT NULL',
})
@Index('supervision_scopes_global_unique', ['supervisorUserId'], { unique: true, where: `"kind" = 'global'` })
@Index('supervision_scopes_organisation_idx', ['organisationId'])
@Index('supervision_scopes_memorandum_idx', ['memorandumId'])
export class SupervisionScope {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  supervisorUserId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'supervisor_user_id' })
  supervisor?: User;

  @Column({ type: 'varchar', length: 16 })
  kind: SupervisionScopeKind;

  @Column({ type: 'uuid', nullable: true })
  organisationId: string | null;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  @Column({ type: 'uuid', nullable: true })
  memorandumId: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
