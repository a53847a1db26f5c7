import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum DeliveryChannel {
  InApp = 'in_app',
  Email = 'email',
  Webhook = 'webhook',
}

export enum DeliveryStatus {
  Pending = 'pending',
  Sent = 'sent',
  Failed = 'failed',
  Skipped = 'skipped',
}

/**
 * One message to one recipient on one channel. `idempotencyKey` is
 * `<source>:<recipient>:<channel>` and UNIQUE: a reminder fired twice, or an event dispatched
 * twice, creates its deliveries once, and a delivery job run twice finds it already sent.
 */
@Entity('notification_deliveries')
@Check('notification_deliveries_channel_check', `"channel" IN ('in_app', 'email', 'webhook')`)
@Check('notification_deliveries_status_check', `"status" IN ('pending', 'sent', 'failed', 'skipped')`)
@Index('notification_deliveries_pending_idx', ['notBefore'], { where: `"status" = 'pending'` })
export class NotificationDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('notification_deliveries_idempotency_key_unique', { unique: true })
  @Column({ type: 'varchar', length: 300 })
  idempotencyKey: string;

  /** `scheduled_item` or `event`. */
  @Column({ type: 'varchar', length: 32 })
  sourceType: string;

  @Column({ type: 'varchar', length: 64 })
  sourceId: string;

  /** approval_reminder, escalation, memorandum.submitted, … */
  @Column({ type: 'varchar', length: 64 })
  topic: string;

  @Column({ type: 'varchar', length: 16 })
  channel: DeliveryChannel;

  @Index('notification_deliveries_user_idx')
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Index('notification_deliveries_webhook_idx')
  @Column({ type: 'uuid', nullable: true })
  webhookId: string | null;

  @Column({ type: 'uuid', nullable: true })
  memorandumId: string | null;

  @Column({ type: 'varchar', length: 16, default: DeliveryStatus.Pending })
  status: DeliveryStatus;

  /** Not sent before this time (quiet hours for e-mail). */
  @Column({ type: 'timestamptz' })
  notBefore: Date;

  /**
   * What to send: the rendered subject and text for e-mail (the HTML part is built from the text when sent; older
   * rows carry it), the JSON body for a webhook; `{}` for in-app, whose message is the inbox row with the same id.
   */
  @Column({ type: 'jsonb' })
  content: Record<string, unknown>;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
