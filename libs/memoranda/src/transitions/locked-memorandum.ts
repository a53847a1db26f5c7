/**
 * The locked memorandum and the writes every stage shares: move to a state (conditional UPDATE on
 * the version read under the lock), append the history event, record an outbox event, insert a
 * revision. A stage is a function over a LockedMemorandum; the frame (MemorandumTransitionsService)
 * makes one per transaction after SELECT … FOR UPDATE.
 */
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { AppendHistoryInput, HistoryService } from '@kelisim/history';
import { Actor } from '@kelisim/identity';
import { ApiError, DomainEvent, DomainEventPayload, OutboxService } from '@kelisim/platform';
import { MemorandumEventType } from '../memorandum-events';
import { Memorandum, MemorandumParty, MemorandumRevision } from '../entities';
import { RevisionCommitments } from '../revisions/canonical-commitments';
import {
  checkGuards,
  columnsOf,
  GuardContext,
  LifecycleState,
  Refusal,
  TransitionRule,
} from '../lifecycle/memorandum-transitions';

export interface RequestMeta {
  requestId: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

/** Where the frame's writes go; the stages never see the services behind them. */
export interface TransitionWriters {
  history: HistoryService;
  outbox: OutboxService;
  /** Freezes the draft's commitments into a submitted revision (libs/commitments); absent: none. */
  commitments?: RevisionCommitments;
}

/**
 * Writes a stage asked for, waiting for the frame's one write statement (locked-row.ts `flushWrites`):
 * the memorandum's columns after every `moveTo` (one version-checked UPDATE bumping the version once
 * per move), the stage's own rows, the history events (chained after `head`) and the outbox events.
 */
export interface PendingWrites {
  version: number;
  moves: number;
  columns: Partial<Memorandum>;
  rows: Array<{ table: string; row: Record<string, unknown> }>;
  head: { lastSeq: number; lastHash: string } | null;
  history: AppendHistoryInput[];
  events: DomainEvent[];
}

/** What the rules of review and signing need of the current revision, read with the lock. */
export interface ReviewFacts {
  current: { number: number; hash: string | null; kind: MemorandumRevision['kind']; endDate: string | null } | null;
  decisions: Array<{ organisationId: string; decision: string }>;
  signatures: Array<{ organisationId: string; signerKey: string }>;
}

/** A memorandum row locked FOR UPDATE in `manager`'s transaction, with its parties and lifecycle state. */
export interface LockedMemorandum {
  manager: EntityManager;
  memorandum: Memorandum;
  parties: MemorandumParty[];
  state: LifecycleState;
  now: Date;
  meta: RequestMeta;
  actor: Actor | null;
  writers: TransitionWriters;
  /** Read with the lock: the current revision, the decisions and signatures on it. */
  review?: ReviewFacts;
  /** Present in the frame: writes wait for its one statement. Absent (a new draft): each write runs at once. */
  pending?: PendingWrites;
}

/** Inserts a row (by property name) of the entity's `table`: queued in the frame, at once otherwise. */
export async function insertRow<T extends ObjectLiteral>(
  locked: LockedMemorandum,
  entity: EntityTarget<T>,
  table: string,
  row: T,
): Promise<void> {
  if (locked.pending) locked.pending.rows.push({ table, row });
  else await locked.manager.getRepository(entity).insert(row);
}

export function refusalError(r: Omit<Refusal, 'status'> & { status: number }): ApiError {
  return new ApiError(r.status, r.code, r.message, r.details);
}

/** Throws the first failing guard of the rule. */
export function enforceGuards(rule: TransitionRule, context: GuardContext): void {
  const refusal = checkGuards(rule, context);
  if (refusal) throw refusalError(refusal);
}

/** Conditional UPDATE on the version read under the lock; a lost race fails loudly instead of overwriting. */
export async function moveTo(
  locked: LockedMemorandum,
  to: LifecycleState,
  columns: Partial<Memorandum> = {},
): Promise<void> {
  const m = locked.memorandum;
  const state = columnsOf(to);
  if (locked.pending) {
    locked.pending.moves += 1;
    Object.assign(locked.pending.columns, columns, state, { updatedAt: locked.now });
    Object.assign(m, columns, state, { updatedAt: locked.now, version: m.version + 1 });
    locked.state = to;
    return;
  }
  const res = await locked.manager
    .createQueryBuilder()
    .update(Memorandum)
    .set({ ...columns, ...state, updatedAt: locked.now, version: () => 'version + 1' })
    .where('id = :id AND version = :version', { id: m.id, version: m.version })
    .execute();
  if (res.affected !== 1)
    throw ApiError.conflict('concurrent_update', 'Another request changed this memorandum at the same time; retry');
  Object.assign(m, columns, state, { updatedAt: locked.now, version: m.version + 1 });
  locked.state = to;
}

export interface HistoryExtra {
  organisationId?: string | null;
  revisionNumber?: number | null;
  revisionHash?: string | null;
  reason?: string | null;
  data?: Record<string, unknown>;
  /** A consequence of the rules (executed, activated, expired): no person acted. */
  system?: boolean;
}

export async function appendHistory(
  locked: LockedMemorandum,
  action: string,
  from: LifecycleState | null,
  to: LifecycleState | null,
  extra: HistoryExtra = {},
): Promise<void> {
  const actor = extra.system ? null : locked.actor;
  const input: AppendHistoryInput = {
    memorandumId: locked.memorandum.id,
    action,
    fromStatus: from,
    toStatus: to,
    actorUserId: actor?.userId ?? null,
    actorName: actor?.fullName ?? null,
    organisationId: extra.organisationId ?? actor?.organisationId ?? null,
    revisionNumber: extra.revisionNumber ?? null,
    revisionHash: extra.revisionHash ?? null,
    reason: extra.reason ?? null,
    requestId: locked.meta.requestId,
    at: locked.now,
    ...(extra.data ? { data: extra.data } : {}),
  };
  if (locked.pending) locked.pending.history.push(input);
  else await locked.writers.history.append(locked.manager, input);
}

/** Records an outbox event in the same transaction; empty fields are left out of the payload. */
export async function recordEvent(
  locked: LockedMemorandum,
  type: MemorandumEventType,
  payload: Omit<DomainEventPayload, 'memorandumId'>,
): Promise<void> {
  const clean = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined && v !== null));
  const event: DomainEvent = {
    type,
    aggregateType: 'memorandum',
    aggregateId: locked.memorandum.id,
    payload: {
      memorandumId: locked.memorandum.id,
      ...clean,
      ...(locked.actor ? { actorUserId: locked.actor.userId } : {}),
    },
  };
  if (locked.pending) locked.pending.events.push(event);
  else await locked.writers.outbox.record(locked.manager, event);
}

type RevisionTerms = Pick<
  MemorandumRevision,
  'title' | 'purpose' | 'body' | 'language' | 'timeZone' | 'effectiveDate' | 'endDate' | 'translations'
>;

/** A new working (unfrozen) revision with the given terms: the original, an amendment, or a copy after changes were asked. */
export async function insertWorkingRevision(
  locked: LockedMemorandum,
  number: number,
  kind: MemorandumRevision['kind'],
  terms: RevisionTerms,
): Promise<void> {
  await locked.manager.getRepository(MemorandumRevision).insert({
    memorandumId: locked.memorandum.id,
    number,
    kind,
    title: terms.title,
    purpose: terms.purpose,
    body: terms.body,
    language: terms.language,
    timeZone: terms.timeZone,
    effectiveDate: terms.effectiveDate,
    endDate: terms.endDate,
    translations: terms.translations ?? null,
    parties: null,
    hash: null,
    frozenAt: null,
    createdAt: locked.now,
  });
}

export async function nextRevisionNumber(locked: LockedMemorandum): Promise<number> {
  const [{ max }] = await locked.manager.query(
    'SELECT COALESCE(MAX(number), 0)::int AS max FROM memorandum_revisions WHERE memorandum_id = $1',
    [locked.memorandum.id],
  );
  return max + 1;
}

export async function workingRevision(locked: LockedMemorandum): Promise<MemorandumRevision> {
  const m = locked.memorandum;
  const r = await locked.manager
    .getRepository(MemorandumRevision)
    .findOneBy({ memorandumId: m.id, number: m.currentRevisionNumber });
  if (!r || r.frozenAt)
    throw new Error(
      `memorandum ${m.id}: revision ${m.currentRevisionNumber} is not a working revision in state ${locked.state}`,
    );
  return r;
}

export async function currentFrozenRevision(locked: LockedMemorandum): Promise<MemorandumRevision> {
  const m = locked.memorandum;
  const r = await locked.manager
    .getRepository(MemorandumRevision)
    .findOneBy({ memorandumId: m.id, number: m.currentRevisionNumber });
  if (!r || !r.hash)
    throw new Error(`memorandum ${m.id}: revision ${m.currentRevisionNumber} is not frozen in state ${locked.state}`);
  return r;
}

/**
 * An open amendment ends without taking effect (withdrawn, or the memorandum ends): its unfrozen
 * working revision goes, frozen ones stay on record, and the executed revision is current again.
 */
export async function closeAmendment(locked: LockedMemorandum): Promise<Partial<Memorandum>> {
  const m = locked.memorandum;
  await locked.manager
    .getRepository(MemorandumRevision)
    .createQueryBuilder()
    .delete()
    .where('memorandum_id = :id AND number = :n AND frozen_at IS NULL', { id: m.id, n: m.currentRevisionNumber })
    .execute();
  return { currentRevisionNumber: m.executedRevisionNumber!, signingMode: null, ceremony: null };
}
