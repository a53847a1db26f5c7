import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One user's daily digest: written in the transaction that marks the notices it lists (their `digest_id`) and
 * creates its e-mail delivery, at most once per user and local day. `noticeCount` 0: nothing was unread, no e-mail.
 */
@Entity('notification_digests')
@Index('notification_digests_user_day_unique', ['userId', 'day'], { unique: true })
export class NotificationDigest {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_notification_digests' })
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  /** The user's local date. */
  @Column({ type: 'date' })
  day: string;

  @Column({ type: 'integer' })
  noticeCount: number;

  @Column({ type: 'uuid', nullable: true })
  deliveryId: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
