/**
 * The one writer of commitments and their occurrences. Every write is one transaction: lock the
 * memorandum row, check visibility (404) → role and organisation (403) → state (409), write the
 * rows with a version check, append the history event to the memorandum's chain and record the
 * outbox event — so a refused request leaves nothing behind.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { HistoryService } from '@kelisim/history';
import { Actor } from '@kelisim/identity';
import { RequestMeta } from '@kelisim/memoranda';
import { ApiError, Clock, OutboxService } from '@kelisim/platform';
import { CommitmentEventType } from '@kelisim/reminders';
import {
  allowedCommitmentActions,
  CommitmentAction,
  nextStatus,
  OPEN_STATUSES,
  statusFromOccurrences,
} from './commitment-status';
import { AmendmentCommitmentsService, DraftCommitmentView } from './amendment-commitments.service';
import { loadDraft, originFor, textFrozen } from './amendment-draft';
import { checkTerms, changedTerms, termsData, termsOfCreate, termsOfUpdate } from './commitment-terms';
import { CommitmentActionDto, CreateCommitmentDto, UpdateCommitmentDto } from './dto/commitment.dto';
import { Commitment, CommitmentOccurrence } from './entities';
import {
  loadMemorandum,
  MemorandumInContext,
  requireActive,
  requireCoordinator,
  requireResponsible,
} from './follow-up-context';
import { FollowUpWriters, guardedUpdate, insertOccurrences, recordFollowUp } from './commitment-writes';
import { CommitmentOrigin, CommitmentStatus } from './vocabulary';

@Injectable()
export class CommitmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly amendments: AmendmentCommitmentsService,
    history: HistoryService,
    outbox: OutboxService,
  ) {
    this.writers = { history, outbox };
  }
  private readonly writers: FollowUpWriters;

  /** A text commitment of the draft or of an open amendment's draft (answered as proposed), or a plan commitment. */
  create(
    actor: Actor,
    memorandumId: string,
    dto: CreateCommitmentDto,
    meta: RequestMeta,
  ): Promise<Commitment | DraftCommitmentView> {
    return this.db.transaction((m) => this.createIn(m, actor, memorandumId, dto, meta));
  }

  /** `create` in the caller's transaction (a memorandum made from a template adds its commitments so). */
  async createIn(
    m: EntityManager,
    actor: Actor,
    memorandumId: string,
    dto: CreateCommitmentDto,
    meta: RequestMeta,
  ): Promise<Commitment | DraftCommitmentView> {
    const ctx = await loadMemorandum(m, actor, memorandumId, true);
    requireCoordinator(actor, ctx);
    if (ctx.state === 'amendment_draft' && dto.origin !== CommitmentOrigin.Plan)
      return this.amendments.add(m, ctx, actor, dto, meta);
    const origin = originFor(ctx, dto.origin);
    const terms = termsOfCreate(dto);
    const dates = checkTerms(ctx.parties, ctx.memorandum, terms);
    const now = this.clock.now();
    const c = await m.getRepository(Commitment).save(
      m.getRepository(Commitment).create({
        ...terms,
        memorandumId,
        origin,
        status: CommitmentStatus.Planned,
        frozenRevisionNumber: null,
        removedInRevision: null,
        version: 1,
        createdByUserId: actor.userId,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await insertOccurrences(m, ctx, c, dates);
    await recordFollowUp(this.writers, m, ctx, actor, now, meta, CommitmentEventType.CommitmentAdded, c, {
      action: origin === CommitmentOrigin.Plan ? 'commitment.planned' : 'commitment.added',
      toStatus: c.status,
      data: { commitmentId: c.id, origin, title: c.title, ...termsData(terms), occurrences: dates.length },
    });
    return c;
  }

  /** Terms of a draft text commitment, of one in an open amendment's draft (answered as proposed), or of a plan one. */
  async update(
    actor: Actor,
    id: string,
    dto: UpdateCommitmentDto,
    meta: RequestMeta,
  ): Promise<Commitment | DraftCommitmentView> {
    return this.db.transaction(async (m) => {
      const { ctx, c } = await this.located(m, actor, id);
      requireCoordinator(actor, ctx);
      if (!c || (c.origin === CommitmentOrigin.Text && ctx.state === 'amendment_draft')) {
        if (ctx.state !== 'amendment_draft') throw textFrozen(ctx);
        return this.amendments.change(m, ctx, actor, c?.id ?? id, dto, meta);
      }
      if (c.origin === CommitmentOrigin.Text && ctx.state !== 'draft') throw textFrozen(ctx);
      if (c.origin === CommitmentOrigin.Plan && ctx.memorandum.status !== 'active')
        throw ApiError.conflict('commitment_frozen', 'Activity plan commitments change only while active', {
          origin: c.origin,
          state: ctx.state,
        });
      if (dto.version !== c.version)
        throw ApiError.conflict('stale_version', `Commitment is at version ${c.version}`, { version: c.version });
      if (!OPEN_STATUSES.includes(c.status))
        throw ApiError.conflict('invalid_transition', `Cannot change a ${c.status} commitment`, { status: c.status });
      const next = termsOfUpdate(dto, c);
      const dates = checkTerms(ctx.parties, ctx.memorandum, next);
      const datesChanged = next.dueDate !== c.dueDate || next.rrule !== c.rrule;
      if (datesChanged) {
        const [{ n }] = await m.query(
          `SELECT (SELECT count(*) FROM commitment_occurrences
                    WHERE commitment_id = $1 AND status IN ('completed', 'cancelled'))
                + (SELECT count(*) FROM activity_reports WHERE commitment_id = $1) AS n`,
          [c.id],
        );
        if (Number(n) > 0)
          throw ApiError.conflict(
            'commitment_has_progress',
            'The dates of a commitment with finished occurrences or reports cannot change',
          );
      }
      const changed = changedTerms(c, next);
      const now = this.clock.now();
      await guardedUpdate(m, c, { ...next, updatedAt: now });
      if (datesChanged) {
        await m.getRepository(CommitmentOccurrence).delete({ commitmentId: c.id });
        await insertOccurrences(m, ctx, c, dates);
      } else if (next.leadOrganisationId !== c.leadOrganisationId) {
        await m
          .getRepository(CommitmentOccurrence)
          .update({ commitmentId: c.id }, { organisationId: next.leadOrganisationId });
      }
      Object.assign(c, next);
      await recordFollowUp(this.writers, m, ctx, actor, now, meta, CommitmentEventType.CommitmentChanged, c, {
        action: 'commitment.updated',
        data: { commitmentId: c.id, changed, ...termsData(next) },
      });
      return c;
    });
  }

  /** start, complete or cancel: the whole commitment, or one occurrence (`occurrenceDate`). */
  async act(
    actor: Actor,
    id: string,
    action: Exclude<CommitmentAction, 'overdue'>,
    dto: CommitmentActionDto,
    meta: RequestMeta,
  ): Promise<Commitment> {
    return this.db.transaction(async (m) => {
      const { ctx, c } = await this.locked(m, actor, id);
      if (action === 'cancel') requireCoordinator(actor, ctx);
      else requireResponsible(actor, c, `${action} it`);
      const to = nextStatus(c.status, action);
      if (!to)
        throw ApiError.conflict('invalid_transition', `Cannot ${action}: commitment is ${c.status}`, {
          status: c.status,
          allowedActions: allowedCommitmentActions(c.status),
        });
      requireActive(ctx, `${action} a commitment`);
      const now = this.clock.now();
      const occurrences = await m
        .getRepository(CommitmentOccurrence)
        .find({ where: { commitmentId: c.id }, order: { date: 'ASC' } });
      const open = occurrences.filter((o) => OPEN_STATUSES.includes(o.status));
      let target: CommitmentOccurrence[] = [];
      if (dto.occurrenceDate) {
        const o = occurrences.find((x) => x.date === dto.occurrenceDate);
        if (!o)
          throw ApiError.unprocessable('no_such_occurrence', 'The commitment has no occurrence on that date', [
            { field: 'occurrenceDate', message: `is not a date of this commitment's occurrences` },
          ]);
        if (!OPEN_STATUSES.includes(o.status))
          throw ApiError.conflict('invalid_transition', `Cannot ${action}: the occurrence is ${o.status}`, {
            status: o.status,
          });
        target = [o];
      } else if (action === 'complete' && open.length > 1) {
        throw ApiError.unprocessable('occurrence_required', 'Name the occurrence to complete', [
          { field: 'occurrenceDate', message: `required: ${open.length} occurrences are open` },
        ]);
      } else if (action !== 'start') target = open;

      if (action !== 'start') {
        for (const o of target) {
          const late = action === 'complete' && now.getTime() >= o.overdueAt.getTime();
          await m
            .getRepository(CommitmentOccurrence)
            .update(
              { id: o.id },
              action === 'complete'
                ? { status: CommitmentStatus.Completed, completedAt: now, completedByUserId: actor.userId, late }
                : { status: CommitmentStatus.Cancelled },
            );
          o.status = action === 'complete' ? CommitmentStatus.Completed : CommitmentStatus.Cancelled;
        }
      }
      const from = c.status;
      let status = to;
      if (action !== 'start' && occurrences.length && !(action === 'cancel' && !dto.occurrenceDate)) {
        const base =
          action === 'complete' && c.status === CommitmentStatus.Planned ? CommitmentStatus.InProgress : c.status;
        status = statusFromOccurrences(
          base,
          occurrences.map((o) => o.status),
        );
      }
      await guardedUpdate(m, c, { status, updatedAt: now });
      c.status = status;
      await recordFollowUp(this.writers, m, ctx, actor, now, meta, eventOf(status), c, {
        action: `commitment.${action === 'start' ? 'started' : action === 'complete' ? 'completed' : 'cancelled'}`,
        fromStatus: from,
        toStatus: status,
        reason: dto.reason ?? null,
        data: { commitmentId: c.id, occurrenceDates: target.map((o) => o.date) },
      });
      return c;
    });
  }

  /**
   * Removes a text commitment from the draft (its row goes: nothing was reported against a draft) or from an
   * open amendment's draft. Plan commitments are cancelled, never removed.
   */
  async remove(actor: Actor, id: string, meta: RequestMeta): Promise<void> {
    await this.db.transaction(async (m) => {
      const { ctx, c } = await this.located(m, actor, id);
      requireCoordinator(actor, ctx);
      if (!c || (c.origin === CommitmentOrigin.Text && ctx.state === 'amendment_draft')) {
        if (ctx.state !== 'amendment_draft') throw textFrozen(ctx);
        return this.amendments.remove(m, ctx, actor, c?.id ?? id, meta);
      }
      if (c.origin === CommitmentOrigin.Plan)
        throw ApiError.conflict(
          'commitment_not_removable',
          `An activity plan commitment is cancelled, not removed (POST /commitments/${c.id}/cancel)`,
          { origin: c.origin, allowedActions: allowedCommitmentActions(c.status) },
        );
      if (ctx.state !== 'draft') throw textFrozen(ctx);
      const now = this.clock.now();
      await m.getRepository(Commitment).delete({ id: c.id });
      await recordFollowUp(this.writers, m, ctx, actor, now, meta, CommitmentEventType.CommitmentCancelled, c, {
        action: 'commitment.removed',
        data: { commitmentId: c.id, title: c.title },
      });
    });
  }

  /** A live commitment (locked), or a key only an open amendment's draft knows (c null); 404 otherwise. */
  private async located(m: EntityManager, actor: Actor, id: string) {
    const pre = await m.getRepository(Commitment).findOneBy({ id });
    if (pre) return this.locked(m, actor, id);
    const memorandumId = await this.amendments.memorandumOfKey(m, id);
    if (!memorandumId) throw ApiError.notFound('Commitment', id);
    const ctx = await loadMemorandum(m, actor, memorandumId, true).catch(() => {
      throw ApiError.notFound('Commitment', id);
    });
    // Only the open amendment's proposal counts (a withdrawn one's may still name the key).
    const open =
      ctx.state.startsWith('amendment_') && (await loadDraft(m, ctx)).items.some((d) => d.key === id.toLowerCase());
    if (!open) throw ApiError.notFound('Commitment', id);
    return { ctx, c: null };
  }

  private async locked(m: EntityManager, actor: Actor, id: string) {
    const pre = await m.getRepository(Commitment).findOneBy({ id });
    if (!pre) throw ApiError.notFound('Commitment', id);
    const ctx = await loadMemorandum(m, actor, pre.memorandumId, true);
    const c = await m
      .getRepository(Commitment)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id })
      .getOne();
    if (!c) throw ApiError.notFound('Commitment', id);
    return { ctx, c };
  }
}

function eventOf(status: CommitmentStatus): CommitmentEventType {
  if (status === CommitmentStatus.Completed) return CommitmentEventType.CommitmentCompleted;
  if (status === CommitmentStatus.Cancelled) return CommitmentEventType.CommitmentCancelled;
  return CommitmentEventType.CommitmentChanged;
}
