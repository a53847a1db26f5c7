/**
 * An amendment takes effect (docs/follow-up.md, "Amendments"): in the lifecycle's transaction, the memorandum's
 * live text commitments follow the executed revision's. A commitment that continues (same key) keeps its
 * occurrences, reports and status, its dates re-planned; one the revision no longer has is cancelled; a new one
 * is created. Each change is a history event and an outbox event (the schedule re-plans the reminders from it).
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { HistoryService } from '@kelisim/history';
import { Actor } from '@kelisim/identity';
import { RevisionCommitment } from '@kelisim/memoranda';
import { OutboxService, zonedDate } from '@kelisim/platform';
import { CommitmentEventType } from '@kelisim/reminders';
import { dropDraft } from './amendment-commitments.service';
import { liveTextCommitments, termsOfRevision } from './amendment-draft';
import { reportIdsByDate } from './commitment-reads.service';
import { OPEN_STATUSES, statusAfterReplan } from './commitment-status';
import { changedTerms, termsData } from './commitment-terms';
import { FollowUpWriters, guardedUpdate, insertOccurrences, recordFollowUp } from './commitment-writes';
import { AmendmentCommitmentDraft, Commitment, CommitmentOccurrence, RevisionCommitmentsRow } from './entities';
import { FollowUpEvent, loadMemorandum, MemorandumInContext } from './follow-up-context';
import { planOccurrences } from './occurrences';
import { CommitmentOrigin, CommitmentStatus } from './vocabulary';

export interface Replanned {
  added: string[];
  removed: string[];
  cancelled: string[];
}

@Injectable()
export class AmendmentEffect {
  private readonly writers: FollowUpWriters;

  constructor(history: HistoryService, outbox: OutboxService) {
    this.writers = { history, outbox };
  }

  async takeEffect(
    m: EntityManager,
    memorandumId: string,
    revisionNumber: number,
    at: { actor: Actor | null; now: Date; requestId: string | null },
  ): Promise<number> {
    const row = await m.getRepository(RevisionCommitmentsRow).findOneBy({ memorandumId, revisionNumber });
    // No set frozen for this revision, or one frozen before keys existed: the live commitments stay as they are.
    if (!row || row.commitments.some((c) => !c.key)) return 0;
    const ctx = await loadMemorandum(m, null, memorandumId, true);
    const today = zonedDate(at.now, ctx.memorandum.timeZone);
    const live = new Map((await liveTextCommitments(m, memorandumId)).map((c) => [c.id, c]));
    const drafted = (await m.getRepository(AmendmentCommitmentDraft).findOneBy({ memorandumId }))?.items ?? [];
    const amendment = { revisionNumber };
    let events = 0;
    const emit = async (type: CommitmentEventType, c: Commitment, e: FollowUpEvent) => {
      await recordFollowUp(this.writers, m, ctx, at.actor, at.now, { requestId: at.requestId }, type, c, e);
      events += 1;
    };

    for (const r of row.commitments as RevisionCommitment[]) {
      const terms = termsOfRevision(r);
      const c = live.get(r.key!);
      live.delete(r.key!);
      if (!c) {
        const created = await this.create(m, ctx, r.key!, terms, revisionNumber, today, at.now, drafted);
        await emit(CommitmentEventType.CommitmentAdded, created.c, {
          action: 'commitment.added',
          toStatus: created.c.status,
          data: {
            commitmentId: created.c.id,
            origin: CommitmentOrigin.Text,
            amendment,
            ...termsData(terms),
            occurrences: created.dates.length,
          },
        });
        continue;
      }
      const changed = changedTerms(c, terms);
      const from = c.status;
      const leadBefore = c.leadOrganisationId;
      Object.assign(c, terms);
      const plan = await replanOccurrences(m, ctx, c, today);
      if (leadBefore !== c.leadOrganisationId)
        await m
          .getRepository(CommitmentOccurrence)
          .update({ commitmentId: c.id }, { organisationId: c.leadOrganisationId });
      const statuses = (await m.getRepository(CommitmentOccurrence).find({ where: { commitmentId: c.id } })).map(
        (o) => o.status,
      );
      const status = statusAfterReplan(from, statuses);
      await guardedUpdate(m, c, { ...terms, status, frozenRevisionNumber: revisionNumber, updatedAt: at.now });
      c.status = status;
      const moved = plan && plan.added.length + plan.removed.length + plan.cancelled.length > 0;
      if (!changed.length && !moved && status === from) continue;
      await emit(CommitmentEventType.CommitmentChanged, c, {
        action: 'commitment.updated',
        fromStatus: from,
        toStatus: status,
        data: { commitmentId: c.id, amendment, changed, ...(plan ? { occurrences: plan } : {}), ...termsData(terms) },
      });
    }

    for (const c of live.values()) {
      const open = await m.getRepository(CommitmentOccurrence).find({ where: { commitmentId: c.id } });
      const cancelled = open.filter((o) => OPEN_STATUSES.includes(o.status)).map((o) => o.date);
      if (cancelled.length)
        await m
          .createQueryBuilder()
          .update(CommitmentOccurrence)
          .set({ status: CommitmentStatus.Cancelled })
          .where(`commitment_id = :id AND status IN ('planned', 'in_progress', 'overdue')`, { id: c.id })
          .execute();
      const from = c.status;
      const status = OPEN_STATUSES.includes(from) ? CommitmentStatus.Cancelled : from;
      await guardedUpdate(m, c, { status, removedInRevision: revisionNumber, updatedAt: at.now });
      c.status = status;
      await emit(CommitmentEventType.CommitmentCancelled, c, {
        action: 'commitment.cancelled',
        fromStatus: from,
        toStatus: status,
        reason: `Removed from the text by the amendment (revision ${revisionNumber})`,
        data: { commitmentId: c.id, amendment: { ...amendment, change: 'removed' }, occurrenceDates: cancelled },
      });
    }
    await dropDraft(m, memorandumId);
    return events;
  }

  private async create(
    m: EntityManager,
    ctx: MemorandumInContext,
    key: string,
    terms: ReturnType<typeof termsOfRevision>,
    revisionNumber: number,
    today: string,
    now: Date,
    drafted: { key: string; createdByUserId: string | null }[],
  ) {
    const repo = m.getRepository(Commitment);
    const c = repo.create({
      id: key,
      ...terms,
      memorandumId: ctx.memorandum.id,
      origin: CommitmentOrigin.Text,
      status: CommitmentStatus.Planned,
      frozenRevisionNumber: revisionNumber,
      removedInRevision: null,
      version: 1,
      createdByUserId: drafted.find((d) => d.key === key)?.createdByUserId ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await repo.insert(c);
    const plan = planOccurrences(terms, ctx.memorandum);
    const dates = plan.ok ? plan.dates.filter((d) => d >= today || d === terms.dueDate) : [];
    await insertOccurrences(m, ctx, c, dates);
    return { c, dates };
  }
}

/**
 * A continuing commitment's occurrences under its (possibly new) terms and term. Kept: those on a date of the
 * new plan, finished ones and any with reports. Open unreported ones off the plan: deleted from today on
 * (regenerated), cancelled before today (kept on record, no longer reminded). Added: plan dates from today on
 * (a past date of a recurrence is not back-filled), and an explicit due date even if it has passed.
 * Null when the new plan cannot be computed (its occurrences are then left as they are).
 */
export async function replanOccurrences(
  m: EntityManager,
  ctx: MemorandumInContext,
  c: Commitment,
  today: string,
): Promise<Replanned | null> {
  const plan = planOccurrences(c, ctx.memorandum);
  if (!plan.ok) return null;
  const wanted = new Set(plan.dates);
  const existing = await m.getRepository(CommitmentOccurrence).find({ where: { commitmentId: c.id } });
  const reported = (await reportIdsByDate(m, [c.id])).get(c.id) ?? new Map<string | null, string[]>();
  const out: Replanned = { added: [], removed: [], cancelled: [] };
  for (const o of existing) {
    if (wanted.has(o.date) || !OPEN_STATUSES.includes(o.status) || reported.get(o.date)?.length) continue;
    if (o.date >= today) {
      await m.getRepository(CommitmentOccurrence).delete({ id: o.id });
      out.removed.push(o.date);
    } else {
      await m.getRepository(CommitmentOccurrence).update({ id: o.id }, { status: CommitmentStatus.Cancelled });
      out.cancelled.push(o.date);
    }
  }
  const have = new Set(existing.map((o) => o.date));
  out.added = plan.dates.filter((d) => !have.has(d) && (d >= today || d === c.dueDate));
  await insertOccurrences(m, ctx, c, out.added);
  return out;
}
