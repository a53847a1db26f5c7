import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity';

/**
 * Bearer tokens: `session` from a login, `personal` for integrations. Only the SHA-256 of the
 * token is stored; the token itself is shown once.
 */
@Entity('auth_tokens')
@Check('auth_tokens_kind_check', `"kind" IN ('session', 'personal')`)
export class AuthToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('auth_tokens_user_idx')
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 16 })
  kind: 'session' | 'personal';

  @Column({ type: 'varchar', length: 100, nullable: true })
  name: string | null;

  @Index('auth_tokens_hash_unique', { unique: true })
  @Column({ type: 'char', length: 64, select: false })
  tokenHash: string;

  /** First characters of the token, to tell tokens apart in lists. */
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** The user's credential generation when the token was issued (`credentialIsCurrent`). */
  @Column({ type: 'integer', select: false })
  credentialGeneration: number;
}
