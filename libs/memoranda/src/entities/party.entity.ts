import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Organisation } from '@kelisim/identity';
import { PartyRole } from '../vocabulary';
import { Memorandum } from './memorandum.entity';

/**
 * A party organisation of a memorandum (the working list; each frozen revision keeps its own copy).
 * `signatoryUserIds` names who may sign for it; empty means any signatory of the organisation.
 */
@Entity('memorandum_parties')
@Index('memorandum_parties_organisation_unique', ['memorandumId', 'organisationId'], { unique: true })
@Check('memorandum_parties_role_check', `"role" IN ('signatory', 'observer', 'witness')`)
@Check('memorandum_parties_required_signatures_check', `"required_signatures" BETWEEN 1 AND 20`)
@Check('memorandum_parties_order_check', `"order" >= 1`)
export class MemorandumParty {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  memorandumId: string;

  @ManyToOne(() => Memorandum, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memorandum_id' })
  memorandum?: Memorandum;

  @Index('memorandum_parties_organisation_idx')
  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  @Column({ type: 'varchar', length: 16 })
  role: PartyRole;

  @Column({ type: 'integer' })
  order: number;

  @Column({ type: 'integer', default: 1 })
  requiredSignatures: number;

  @Column({ type: 'uuid', array: true })
  signatoryUserIds: string[];

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
