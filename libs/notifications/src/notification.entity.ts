import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The in-app inbox: one row per in-app delivery (same id), read by its user. */
@Entity('notifications')
@Index('notifications_user_created_idx', ['userId', 'createdAt'])
@Index('notifications_digest_pending_idx', ['userId'], { where: `"for_digest" AND "digest_id" IS NULL` })
export class InboxNotification {
  /** The id of the in-app delivery it comes from. */
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 64 })
  topic: string;

  @Column({ type: 'uuid', nullable: true })
  memorandumId: string | null;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readAt: Date | null;

  /** Its e-mail is left to the user's daily digest (e-mail mode `digest` when it arrived). Not in the inbox's answers. */
  @Column({ type: 'boolean', default: false, select: false })
  forDigest: boolean;

  /** The digest that listed it (notification_digests). */
  @Column({ type: 'uuid', nullable: true, select: false })
  digestId: string | null;
}
