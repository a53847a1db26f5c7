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
import { CommitmentActionDto, CreateCommitmentDto, UpdateCommitmentDto } from './dto/commitment.dto';
import { Commitment, CommitmentOccurrence } from './entities';
import {
  loadMemorandum,
  MemorandumInContext,
  requireActive,
  requireCoordinator,
  requireResponsible,
} from './follow-up-context';
import { planOccurrences } from './occurrences';
import { FollowUpWriters, guardedUpdate, insertOccurrences, recordFollowUp } from './commitment-writes';
import { CommitmentOrigin, CommitmentStatus } from './vocabulary';

const TERM_FIELDS = [
  'title',
  'description',
  'clauseRef',
  'leadOrganisationId',
  'organisationIds',
  'targetQuantity',
  'targetUnit',
  'dueDate',
  'rrule',
] as const;
type Terms = Pick<Commitment, (typeof TERM_FIELDS)[number]>;

@Injectable()
export class CommitmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    history: HistoryService,
    outbox: OutboxService,
  ) {
    this.writers = { history, outbox };
  }
  private readonly writers: FollowUpWriters;

  create(actor: Actor, memorandumId: string, dto: CreateCommitmentDto, meta: RequestMeta): Promise<Commitment> {
    return this.db.transaction((m) => this.createIn(m, actor, memorandumId, dto, meta));
  }

  /** `create` in the caller's transaction (a memorandum made from a template adds its commitments so). */
  async createIn(m: EntityManager, actor: Actor, id: string, dto: CreateCommitmentDto, meta: RequestMeta) {
    const memorandumId = id;
    const ctx = await loadMemorandum(m, actor, memorandumId, true);
    requireCoordinator(actor, ctx);
    const origin = originFor(ctx, 'add a commitment');
    const terms: Terms = {
      title: dto.title,
      description: dto.description ?? null,
      clauseRef: dto.clauseRef || null,
      leadOrganisationId: dto.leadOrganisationId.toLowerCase(),
      organisationIds: (dto.organisationIds ?? []).map((o) => o.toLowerCase()),
      targetQuantity: dto.target?.quantity ?? null,
      targetUnit: dto.target?.unit ?? null,
      dueDate: dto.dueDate ?? null,
      rrule: dto.rrule ?? null,
    };
    const dates = this.checkTerms(ctx, terms);
    const now = this.clock.now();
    const c = await m.getRepository(Commitment).save(
      m.getRepository(Commitment).create({
        ...terms,
        memorandumId,
        origin,
        status: CommitmentStatus.Planned,
        frozenRevisionNumber: null,
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

  async update(actor: Actor, id: string, dto: UpdateCommitmentDto, meta: RequestMeta): Promise<Commitment> {
    return this.db.transaction(async (m) => {
      const { ctx, c } = await this.locked(m, actor, id);
      requireCoordinator(actor, ctx);
      const mayChange = c.origin === CommitmentOrigin.Text ? ctx.state === 'draft' : ctx.memorandum.status === 'active';
      if (!mayChange)
        throw ApiError.conflict(
          'commitment_frozen',
          c.origin === CommitmentOrigin.Text
            ? 'A commitment of the signed text changes only through an amendment'
            : 'Activity plan commitments change only while the memorandum is active',
          { origin: c.origin, state: ctx.state },
        );
      if (dto.version !== c.version)
        throw ApiError.conflict('stale_version', `Commitment is at version ${c.version}`, { version: c.version });
      if (!OPEN_STATUSES.includes(c.status))
        throw ApiError.conflict('invalid_transition', `Cannot change a ${c.status} commitment`, { status: c.status });
      const next: Terms = {
        title: dto.title ?? c.title,
        description: dto.description === undefined ? c.description : dto.description,
        clauseRef: dto.clauseRef === undefined ? c.clauseRef : dto.clauseRef || null,
        leadOrganisationId: dto.leadOrganisationId?.toLowerCase() ?? c.leadOrganisationId,
        organisationIds: dto.organisationIds?.map((o) => o.toLowerCase()) ?? c.organisationIds,
        targetQuantity: dto.target === undefined ? c.targetQuantity : (dto.target?.quantity ?? null),
        targetUnit: dto.target === undefined ? c.targetUnit : (dto.target?.unit ?? null),
        dueDate: dto.dueDate === undefined ? (dto.rrule ? null : c.dueDate) : dto.dueDate,
        rrule: dto.rrule === undefined ? (dto.dueDate ? null : c.rrule) : dto.rrule,
      };
      const dates = this.checkTerms(ctx, next);
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
      const changed = TERM_FIELDS.filter((k) => JSON.stringify(next[k]) !== JSON.stringify(c[k]));
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

  /** The terms against the memorandum: parties, term dates, recurrence. Answers the occurrence dates. */
  private checkTerms(ctx: MemorandumInContext, t: Terms): string[] {
    const parties = new Set(ctx.parties.map((p) => p.organisationId.toLowerCase()));
    if (!parties.has(t.leadOrganisationId))
      throw ApiError.validation([{ field: 'leadOrganisationId', message: 'must be a party of the memorandum' }], 422);
    const stranger = t.organisationIds.find((o) => !parties.has(o));
    if (stranger)
      throw ApiError.validation(
        [{ field: 'organisationIds', message: `${stranger} is not a party of the memorandum` }],
        422,
      );
    const plan = planOccurrences(t, ctx.memorandum);
    if (!plan.ok) throw ApiError.validation([plan.error], 422);
    return plan.dates;
  }
}

/** Text commitments while the memorandum is a draft; plan commitments while it is active. */
function originFor(ctx: MemorandumInContext, what: string): CommitmentOrigin {
  if (ctx.state === 'draft') return CommitmentOrigin.Text;
  if (ctx.memorandum.status === 'active') return CommitmentOrigin.Plan;
  throw ApiError.conflict('invalid_state', `Cannot ${what}: memorandum is ${ctx.state}`, {
    state: ctx.state,
    allowedStates: ['draft', 'active'],
  });
}

function eventOf(status: CommitmentStatus): CommitmentEventType {
  if (status === CommitmentStatus.Completed) return CommitmentEventType.CommitmentCompleted;
  if (status === CommitmentStatus.Cancelled) return CommitmentEventType.CommitmentCancelled;
  return CommitmentEventType.CommitmentChanged;
}

function termsData(t: Terms): Record<string, unknown> {
  return Object.fromEntries(Object.entries(t).filter(([, v]) => v !== null && !(Array.isArray(v) && !v.length)));
}
