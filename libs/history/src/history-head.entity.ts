import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last seq and hash of each memorandum's chain, moved in the same transaction as every append.
 * Without it, deleting the newest events would leave a shorter chain that still verifies.
 * Its row lock also serialises appends to one chain.
 */
@Entity('history_heads')
@Check('history_heads_last_seq_check', `"last_seq" >= 0`)
export class HistoryHead {
  @PrimaryColumn({ type: 'uuid' })
  memorandumId: string;

  @Column({ type: 'integer' })
  lastSeq: number;

  @Column({ type: 'char', length: 64 })
  lastHash: string;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;

  /** HMAC-SHA256 of (memorandum, last seq, last hash) under the history key: a rewound head no longer passes. */
  @Column({ type: 'char', length: 64 })
  mac: string;
}
