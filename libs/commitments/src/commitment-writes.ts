/** Writes shared by the commitment services: occurrences, the version-checked update, history plus outbox. */
import { EntityManager } from 'typeorm';
import { HistoryService } from '@kelisim/history';
import { Actor } from '@kelisim/identity';
import { RequestMeta } from '@kelisim/memoranda';
import { ApiError, OutboxService } from '@kelisim/platform';
import { CommitmentEventType } from '@kelisim/reminders';
import { Commitment, CommitmentOccurrence } from './entities';
import { appendFollowUpHistory, FollowUpEvent, MemorandumInContext } from './follow-up-context';
import { overdueInstant } from './occurrences';
import { CommitmentStatus } from './vocabulary';

export interface FollowUpWriters {
  history: HistoryService;
  outbox: OutboxService;
}

export async function insertOccurrences(
  m: EntityManager,
  ctx: MemorandumInContext,
  c: Commitment,
  dates: string[],
): Promise<void> {
  if (!dates.length) return;
  await m.getRepository(CommitmentOccurrence).insert(
    dates.map((date) => ({
      commitmentId: c.id,
      memorandumId: c.memorandumId,
      organisationId: c.leadOrganisationId,
      date,
      overdueAt: overdueInstant(date, ctx.memorandum.timeZone),
      status: CommitmentStatus.Planned,
    })),
  );
}

/** UPDATE … WHERE version = the one read under the lock: a lost race fails loudly. */
export async function guardedUpdate(m: EntityManager, c: Commitment, set: Partial<Commitment>): Promise<void> {
  const res = await m
    .createQueryBuilder()
    .update(Commitment)
    .set({ ...set, version: () => 'version + 1' })
    .where('id = :id AND version = :version', { id: c.id, version: c.version })
    .execute();
  if (res.affected !== 1)
    throw ApiError.conflict('concurrent_update', 'Another request changed this commitment at the same time; retry');
  c.version += 1;
}

/** The history event in the memorandum's chain and the outbox event, in the caller's transaction. */
export async function recordFollowUp(
  writers: FollowUpWriters,
  m: EntityManager,
  ctx: MemorandumInContext,
  actor: Actor | null,
  now: Date,
  meta: RequestMeta | null,
  type: CommitmentEventType,
  c: Commitment,
  e: FollowUpEvent,
): Promise<void> {
  await appendFollowUpHistory(writers.history, m, ctx, actor, now, meta, e);
  const occurrenceDate = e.data.occurrenceDate as string | undefined;
  const occurrenceId = e.data.occurrenceId as string | undefined;
  await writers.outbox.record(m, {
    type,
    aggregateType: 'memorandum',
    aggregateId: ctx.memorandum.id,
    payload: {
      memorandumId: ctx.memorandum.id,
      commitmentId: c.id,
      ...(occurrenceDate ? { occurrenceDate } : {}),
      ...(occurrenceId ? { occurrenceId } : {}),
      ...(actor ? { actorUserId: actor.userId } : {}),
    },
  });
}
