import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type IdempotencyStatus = 'in_progress' | 'completed';

/**
 * One `Idempotency-Key` a client sent with a state-changing POST, and the answer it got. The unique
 * (scope, key) index decides which of two racing requests runs the handler.
 */
@Entity('idempotency_keys')
@Unique('idempotency_keys_scope_key_key', ['scope', 'key'])
@Index('idempotency_keys_expires_at_idx', ['expiresAt'])
@Check('idempotency_keys_status_check', `"status" IN ('in_progress', 'completed')`)
export class IdempotencyKey {
  /** Identifies one attempt: a stale attempt that is taken over loses its row, and its late answer is not stored. */
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The authenticated user's id, or 'anonymous': keys of different callers never collide. */
  @Column({ type: 'varchar', length: 64 })
  scope: string;

  @Column({ type: 'varchar', length: 200 })
  key: string;

  @Column({ type: 'varchar', length: 10 })
  method: string;

  @Column({ type: 'text' })
  path: string;

  /** SHA-256 of the canonical JSON of the request body. */
  @Column({ type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'varchar', length: 16 })
  status: IdempotencyStatus;

  @Column({ type: 'integer', nullable: true })
  responseStatus: number | null;

  @Column({ type: 'jsonb', nullable: true })
  responseBody: unknown;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
