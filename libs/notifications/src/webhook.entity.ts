import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An organisation's subscription: events POSTed to `url`, signed with `secret` (never returned after creation). */
@Entity('webhooks')
export class Webhook {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('webhooks_organisation_idx')
  @Column({ type: 'uuid' })
  organisationId: string;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  /** Event types or topics, or `*`. */
  @Column({ type: 'varchar', length: 64, array: true })
  events: string[];

  /** Sealed with SecretBox (AES-256-GCM); the plain secret is never stored. */
  @Column({ type: 'text', select: false })
  secret: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}

/** Every HTTP attempt of a webhook delivery, successful or not. */
@Entity('webhook_attempts')
export class WebhookAttempt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('webhook_attempts_delivery_idx')
  @Column({ type: 'uuid' })
  deliveryId: string;

  @Index('webhook_attempts_webhook_idx')
  @Column({ type: 'uuid' })
  webhookId: string;

  @Column({ type: 'integer' })
  attempt: number;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'integer', nullable: true })
  statusCode: number | null;

  @Column({ type: 'boolean' })
  ok: boolean;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'integer' })
  durationMs: number;
}
