import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Transactional outbox: a transition records what happened here, in its own transaction; the
 * worker's dispatcher hands each event to its reactions (reminders, notifications, webhooks) later.
 */
@Entity('outbox_events')
@Index('outbox_events_pending_idx', ['availableAt'], { where: '"processed_at" IS NULL' })
export class OutboxEvent {
  /** Increasing; events of one aggregate are written under its row lock, so their ids follow their order. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  @Column({ type: 'varchar', length: 32 })
  aggregateType: string;

  @Index('outbox_events_aggregate_idx')
  @Column({ type: 'uuid' })
  aggregateId: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  payload: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'timestamptz' })
  availableAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;
}
