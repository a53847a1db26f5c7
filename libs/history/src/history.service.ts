import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { HISTORY_MAC_KEY, WriteStatement } from '@kelisim/platform';
import {
  canonicalJson,
  ChainedEvent,
  CheckpointHead,
  ChainedEventFields,
  eventMac,
  ExpectedEnd,
  GENESIS_HASH,
  hashEvent,
  headMac,
  verifyChain,
  VerifyResult,
} from './history-chain';
import { HistoryCheckpoint, openCheckpoint, sealCheckpoint } from './history-checkpoint';
import { HistoryEvent } from './history-event.entity';
import { HistoryHead } from './history-head.entity';

/** What a transition hands in: every hashed field but those the chain assigns (id, seq, prevHash). */
export type AppendHistoryInput = Omit<ChainedEventFields, 'id' | 'seq' | 'prevHash' | 'data'> & {
  data?: Record<string, unknown>;
};

export interface HistoryItem {
  seq: number;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  actor: { userId: string | null; name: string | null } | null;
  organisationId: string | null;
  revisionNumber: number | null;
  revisionHash: string | null;
  reason: string | null;
  requestId: string | null;
  at: Date;
  prevHash: string;
  hash: string;
  data: Record<string, unknown>;
}

export type HistoryVerification = VerifyResult;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const nfc = (s: string | null) => (s === null ? null : s.normalize('NFC'));

/**
 * Appends to, reads and verifies the hash chain of each memorandum's history. Appends run in the
 * caller's transaction (the transition's), so a state change and its history event commit together.
 */
@Injectable()
export class HistoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(HISTORY_MAC_KEY) private readonly macKey: Buffer,
  ) {}

  async append(manager: EntityManager, input: AppendHistoryInput): Promise<HistoryEvent> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(
        'HistoryService.append must run inside a transaction (the head lock and the event must commit together)',
      );
    }
    if (!UUID.test(input.memorandumId))
      throw new Error(`HistoryService.append: memorandumId ${input.memorandumId} is not a UUID`);
    if (!(input.at instanceof Date) || Number.isNaN(input.at.getTime()))
      throw new Error('HistoryService.append: `at` must be a valid Date');
    const memorandumId = input.memorandumId.toLowerCase();

    // The head row is created by the first append, then locked by every later one (the no-op
    // DO UPDATE takes the row lock and returns the head unchanged): appends to one chain queue up
    // here even if a caller forgot its own row lock; the unique (memorandum_id, seq) index is the last word.
    const [head] = (await manager.query(
      `INSERT INTO history_heads (memorandum_id, last_seq, last_hash, updated_at, mac) VALUES ($1, 0, $2, $3, $4)
       ON CONFLICT (memorandum_id) DO UPDATE SET memorandum_id = EXCLUDED.memorandum_id
       RETURNING last_seq, last_hash`,
      [memorandumId, GENESIS_HASH, input.at, headMac(this.macKey, memorandumId, 0, GENESIS_HASH)],
    )) as Array<{ last_seq: number; last_hash: string }>;

    const event = manager
      .getRepository(HistoryEvent)
      .create(this.chained(memorandumId, head.last_seq, head.last_hash, input));
    // eslint-disable-next-line no-restricted-syntax -- TypeORM's QueryDeepPartialEntity does not accept a jsonb column typed as an interface
    await manager.getRepository(HistoryEvent).insert(event as never);
    const moved = await manager
      .createQueryBuilder()
      .update(HistoryHead)
      .set({
        lastSeq: event.seq,
        lastHash: event.hash,
        updatedAt: event.at,
        mac: headMac(this.macKey, memorandumId, event.seq, event.hash),
      })
      .where('memorandum_id = :memorandumId AND last_seq = :previous', { memorandumId, previous: head.last_seq })
      .execute();
    if (moved.affected !== 1) throw new Error(`History head of memorandum ${memorandumId} moved during an append`);
    return event;
  }

  /**
   * The events of one transition chained after `head` (read under the memorandum's row lock in the
   * same transaction; null: no chain yet), as parts of the transition's one write statement: the
   * events and the head moved from `head.lastSeq` only (a conditional upsert). Call the returned
   * check with the statement's counts: it throws when the head had moved (the transaction then
   * rolls back, as `append` would).
   */
  appendIn(
    statement: WriteStatement,
    memorandumId: string,
    head: { lastSeq: number; lastHash: string } | null,
    inputs: AppendHistoryInput[],
  ): (written: Record<string, number>) => void {
    if (!UUID.test(memorandumId))
      throw new Error(`HistoryService.appendIn: memorandumId ${memorandumId} is not a UUID`);
    const id = memorandumId.toLowerCase();
    const previous = head ?? { lastSeq: 0, lastHash: GENESIS_HASH };
    const events: HistoryEvent[] = [];
    for (const input of inputs) {
      if (!(input.at instanceof Date) || Number.isNaN(input.at.getTime()))
        throw new Error('HistoryService.appendIn: `at` must be a valid Date');
      const last = events[events.length - 1];
      events.push(this.chained(id, last?.seq ?? previous.lastSeq, last?.hash ?? previous.lastHash, input));
    }
    const last = events[events.length - 1];
    if (!last) return () => undefined;
    statement.insert('history', 'history_events', events as unknown as Array<Record<string, unknown>>);
    const p = (v: unknown) => statement.param(v);
    statement.add(
      'history_head',
      `INSERT INTO history_heads (memorandum_id, last_seq, last_hash, updated_at, mac)
       VALUES (${p(id)}::uuid, ${p(last.seq)}::int, ${p(last.hash)}, ${p(last.at.toISOString())}::timestamptz, ${p(headMac(this.macKey, id, last.seq, last.hash))})
       ON CONFLICT (memorandum_id) DO UPDATE SET last_seq = EXCLUDED.last_seq, last_hash = EXCLUDED.last_hash,
         updated_at = EXCLUDED.updated_at, mac = EXCLUDED.mac
       WHERE history_heads.last_seq = ${p(previous.lastSeq)}::int RETURNING 1`,
    );
    return (written) => {
      if (written.history_head !== 1) throw new Error(`History head of memorandum ${id} moved during an append`);
    };
  }

  /** One event after (seq, hash): its fields normalised as they are hashed, its hash and keyed MAC. */
  private chained(memorandumId: string, seq: number, prevHash: string, input: AppendHistoryInput): HistoryEvent {
    const fields = {
      id: randomUUID(),
      memorandumId,
      seq: seq + 1,
      action: input.action.normalize('NFC'),
      fromStatus: nfc(input.fromStatus),
      toStatus: nfc(input.toStatus),
      actorUserId: input.actorUserId?.toLowerCase() ?? null,
      actorName: nfc(input.actorName),
      organisationId: input.organisationId?.toLowerCase() ?? null,
      revisionNumber: input.revisionNumber,
      revisionHash: nfc(input.revisionHash),
      reason: nfc(input.reason),
      requestId: nfc(input.requestId),
      at: new Date(input.at.getTime()),
      // Stored exactly as hashed: what comes back from jsonb must serialise to the same bytes.
      data: JSON.parse(canonicalJson(input.data ?? {})) as Record<string, unknown>,
      prevHash,
    };
    const hash = hashEvent(fields);
    return { ...fields, hash, mac: eventMac(this.macKey, hash) };
  }

  async list(memorandumId: string): Promise<HistoryItem[]> {
    if (!UUID.test(memorandumId)) return [];
    const events = await this.dataSource
      .getRepository(HistoryEvent)
      .find({ where: { memorandumId: memorandumId.toLowerCase() }, order: { seq: 'ASC' } });
    return events.map((e) => ({
      seq: e.seq,
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actor: e.actorUserId === null && e.actorName === null ? null : { userId: e.actorUserId, name: e.actorName },
      organisationId: e.organisationId,
      revisionNumber: e.revisionNumber,
      revisionHash: e.revisionHash,
      reason: e.reason,
      requestId: e.requestId,
      at: e.at,
      prevHash: e.prevHash,
      hash: e.hash,
      data: e.data,
    }));
  }

  /**
   * Verifies the chain, its head and their keyed MACs; with `expectedEnd` (what the memorandum row
   * says, read in the same snapshot; null when there is no such row) also that the chain exists,
   * ends where the memorandum is and has one event per version; with `anchor` (a checkpoint's head)
   * also that the chain still passes through it.
   */
  async verify(
    memorandumId: string,
    expectedEnd?: (m: EntityManager) => Promise<ExpectedEnd | null>,
    anchor?: CheckpointHead,
  ): Promise<HistoryVerification> {
    if (!UUID.test(memorandumId)) return { valid: true, events: 0 };
    const id = memorandumId.toLowerCase();
    // One snapshot for events and head, so an append committing in between is not a false alarm.
    const { events, head, expected } = await this.dataSource.transaction('REPEATABLE READ', async (m) => ({
      events: await m.getRepository(HistoryEvent).find({ where: { memorandumId: id }, order: { seq: 'ASC' } }),
      head: await m.getRepository(HistoryHead).findOne({ where: { memorandumId: id } }),
      expected: expectedEnd ? await expectedEnd(m) : undefined,
    }));
    const chainHead = head ? { lastSeq: head.lastSeq, lastHash: head.lastHash, mac: head.mac } : null;
    return verifyChain(id, events as ChainedEvent[], chainHead, { macKey: this.macKey, expected, anchor });
  }

  /** Every chain's head, read in one snapshot and sealed with the history key: `kelisim history-checkpoint`. */
  async checkpoint(at: Date): Promise<HistoryCheckpoint> {
    const heads = await this.dataSource.getRepository(HistoryHead).find({ order: { memorandumId: 'ASC' } });
    return sealCheckpoint(
      this.macKey,
      at,
      heads.map((h) => ({ memorandumId: h.memorandumId, seq: h.lastSeq, hash: h.lastHash })),
    );
  }

  /** A checkpoint file's heads, if it is sealed with this installation's history key. */
  openCheckpoint(text: string): ReturnType<typeof openCheckpoint> {
    return openCheckpoint(this.macKey, text);
  }

  /** Every memorandum that has a chain (or the remains of one): for `kelisim verify-history --all`. */
  async memorandumIds(): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT memorandum_id FROM history_heads UNION SELECT memorandum_id FROM history_events ORDER BY 1`,
    )) as Array<{ memorandum_id: string }>;
    return rows.map((r) => r.memorandum_id);
  }
}
