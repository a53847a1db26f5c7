import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@kelisim/identity';

/**
 * A revocable token for calendar feeds, carried in the feed's URL (calendar programs send no
 * headers). Only its SHA-256 is stored; it opens calendar feeds and nothing else, and only while
 * its user's credential generation is the one it was issued under (`credentialIsCurrent`).
 */
@Entity('feed_tokens')
@Index('feed_tokens_hash_unique', ['tokenHash'], { unique: true })
@Index('feed_tokens_user_idx', ['userId'])
export class FeedToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  /** The user's credential generation when the token was made. */
  @Column({ type: 'integer' })
  credentialGeneration: number;
}
