import { Check, Column, Entity, PrimaryColumn, Unique } from 'typeorm';

/**
 * One event in a memorandum's hash-chained history. Rows are only ever inserted; `hash` covers every
 * other column (history-chain.ts). No foreign key to memoranda: the history outlives nothing and
 * depends on nothing, so it can be verified on its own.
 */
@Entity('history_events')
@Unique('history_events_memorandum_seq_key', ['memorandumId', 'seq'])
@Check('history_events_seq_check', `"seq" >= 1`)
@Check('history_events_hash_check', `"hash" ~ '^[0-9a-f]{64}$' AND "prev_hash" ~ '^[0-9a-f]{64}$'`)
@Check('history_events_mac_check', `"mac" ~ '^[0-9a-f]{64}$'`)
export class HistoryEvent {
  /** Generated in code, not by the database, because it is part of what is hashed. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  memorandumId: string;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  fromStatus: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  toStatus: string | null;

  @Column({ type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  actorName: string | null;

  @Column({ type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ type: 'integer', nullable: true })
  revisionNumber: number | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  revisionHash: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;

  /** Always written by the service (`{}` when there is nothing), never by a column default. */
  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  hash: string;

  /** HMAC-SHA256 of `hash` under the history key, which is not in the database (history-chain.ts `eventMac`). */
  @Column({ type: 'char', length: 64 })
  mac: string;
}
