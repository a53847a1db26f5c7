import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock, OutboxService, QueueName } from '@kelisim/platform';
import { DeliveriesService } from '@kelisim/notifications';
import { CommitmentFollowUp } from './commitment-follow-up.port';
import { MemorandumDirectory, Recipients } from './memorandum-directory.port';
import { effectivePolicy, EffectivePolicy, PolicyKind } from './policies';
import { ReminderPolicy } from './reminder-policy.entity';
import { ReminderSettings } from './reminder-settings';
import { MessagingContext, sendDueMessage } from './reminder-messages';
import {
  itemFromRow,
  ScheduledItem,
  ScheduledItemKind,
  ScheduledItemRow,
  ScheduledItemStatus,
} from './scheduled-item.entity';
import { ScheduleTimers } from './schedule-timers';
import { TimedAction, TimedTransitions } from './timed-transitions';

export type NewItem = Pick<ScheduledItem, 'kind' | 'memorandumId' | 'dueAt' | 'dedupeKey'> &
  Partial<Pick<ScheduledItem, 'organisationId' | 'revisionNumber' | 'sequence' | 'data'>>;

/** Work to do once the transaction that produced it has committed. */
export class AfterCommit {
  readonly items: { id: string; dueAt: Date }[] = [];
  readonly deliveries: string[] = [];
}

export type FireOutcome = 'fired' | 'skipped' | 'not_due' | 'deferred';

const OPEN = [ScheduledItemStatus.Pending, ScheduledItemStatus.Enqueued];
const COMMITMENT_KINDS = [
  ScheduledItemKind.CommitmentDue,
  ScheduledItemKind.CommitmentOverdue,
  ScheduledItemKind.CommitmentOverdueReminder,
  ScheduledItemKind.CommitmentEscalation,
];
/** Items that are the lifecycle's timed transitions rather than messages. */
const TIMED_KINDS: Partial<Record<ScheduledItemKind, TimedAction>> = {
  [ScheduledItemKind.Activation]: 'activate',
  [ScheduledItemKind.Expiry]: 'expire',
  [ScheduledItemKind.Termination]: 'terminate',
};

/**
 * The schedule: the one writer of scheduled_items. Items are written in the transaction of
 * whatever caused them (an outbox event, a fired reminder); BullMQ delayed jobs with the id
 * `sched-<id>` only wake them, and `reconcile` re-arms anything due soon that the queue lost.
 * Firing compares due_at with the injected Clock, so moving a ManualClock is enough in tests.
 */
@Injectable()
export class ScheduleService {
  private readonly timers: ScheduleTimers;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Schedule) queue: Queue,
    private readonly clock: Clock,
    settings: ReminderSettings,
    private readonly directory: MemorandumDirectory,
    private readonly recipients: Recipients,
    private readonly deliveries: DeliveriesService,
    private readonly timed: TimedTransitions,
    private readonly outbox: OutboxService,
    private readonly followUp: CommitmentFollowUp,
  ) {
    this.timers = new ScheduleTimers(db, queue, clock, settings, deliveries);
  }

  private get messaging(): MessagingContext {
    return {
      directory: this.directory,
      recipients: this.recipients,
      deliveries: this.deliveries,
      followUp: this.followUp,
      policy: (m, memorandumId, kind) => this.policy(m, memorandumId, kind),
      schedule: (m, after, ...items) => this.schedule(m, after, ...items),
    };
  }

  async policy(m: EntityManager, memorandumId: string, kind: PolicyKind): Promise<EffectivePolicy> {
    const row = await m.getRepository(ReminderPolicy).findOneBy({ memorandumId, kind });
    return effectivePolicy(kind, row);
  }

  /** Inserts items (a dedupe key already present: nothing happens); returns and remembers the new ones. */
  async schedule(m: EntityManager, after: AfterCommit, ...items: NewItem[]): Promise<number> {
    let added = 0;
    for (const item of items) {
      const result = await m
        .createQueryBuilder()
        .insert()
        .into(ScheduledItem)
        .values({
          sequence: 1,
          data: {},
          ...item,
          status: ScheduledItemStatus.Pending,
          createdAt: this.clock.now(),
          // eslint-disable-next-line no-restricted-syntax -- TypeORM's QueryDeepPartialEntity does not accept a jsonb column typed as an interface
        } as never)
        .orIgnore()
        .returning(['id', 'due_at'])
        .execute();
      for (const r of result.raw as { id: string; due_at: Date }[]) {
        after.items.push({ id: r.id, dueAt: new Date(r.due_at) });
        added++;
      }
    }
    return added;
  }

  /** Cancels open items of a memorandum (optionally of one party, of some kinds, of one stage). */
  async cancel(
    m: EntityManager,
    filter: {
      memorandumId: string;
      organisationId?: string;
      kinds?: ScheduledItemKind[];
      stage?: 'review' | 'signing';
      endDateNot?: string | null;
    },
    reason: string,
  ): Promise<number> {
    const qb = m
      .createQueryBuilder()
      .update(ScheduledItem)
      .set({ status: ScheduledItemStatus.Cancelled, cancelledAt: this.clock.now(), outcome: reason.slice(0, 200) })
      .where('memorandum_id = :mid', { mid: filter.memorandumId })
      .andWhere('status IN (:...open)', { open: OPEN });
    if (filter.organisationId) qb.andWhere('organisation_id = :org', { org: filter.organisationId });
    if (filter.kinds?.length) qb.andWhere('kind IN (:...kinds)', { kinds: filter.kinds });
    if (filter.stage) qb.andWhere(`(kind <> 'escalation' OR data->>'stage' = :stage)`, { stage: filter.stage });
    if (filter.endDateNot !== undefined)
      qb.andWhere(`data->>'endDate' IS DISTINCT FROM :end`, { end: filter.endDateNot });
    const res = await qb.execute();
    return res.affected ?? 0;
  }

  /** After the commit: arm the timers of new items and queue new deliveries. Failures here are repaired by `reconcile`. */
  afterCommit(after: AfterCommit): Promise<void> {
    return this.timers.afterCommit(after);
  }

  /** Arms every open item due within the horizon whose job is missing (see ScheduleTimers.reconcile). */
  reconcile(limit = 1000): Promise<{ armed: number; deliveries: number }> {
    return this.timers.reconcile(limit);
  }

  /**
   * Fires one item if it is still open and due. Safe to run twice: the row lock and status decide. A message
   * (most items) takes one transaction whose first statement locks the item and asks whether undispatched events
   * of its memorandum exist; timed transitions and overdue marks go through `fireTimed`.
   */
  async fire(itemId: string): Promise<FireOutcome> {
    const after = new AfterCommit();
    const outcome = await this.db.transaction(async (m): Promise<FireOutcome | 'timed'> => {
      const now = this.clock.now();
      const [row] = (await m.query(
        `SELECT s.*, ${this.outbox.pendingExpression('s.memorandum_id', '$2')} AS events_pending
           FROM scheduled_items s WHERE s.id = $1 FOR UPDATE OF s`,
        [itemId, now],
      )) as (ScheduledItemRow & { events_pending: boolean })[];
      if (!row || !OPEN.includes(row.status)) return 'skipped';
      const item = itemFromRow(row);
      if (item.dueAt.getTime() > now.getTime()) return 'not_due';
      if (TIMED_KINDS[item.kind] || item.kind === ScheduledItemKind.CommitmentOverdue) return 'timed';
      // Events about this memorandum that are not dispatched yet may cancel this item: they go first.
      if (row.events_pending) return 'deferred';
      await this.complete(m, item.id, await sendDueMessage(this.messaging, m, item, after));
      return 'fired';
    });
    if (outcome === 'timed') return this.fireTimed(itemId);
    await this.afterCommit(after);
    return outcome;
  }

  private async complete(m: EntityManager, id: string, outcome: string): Promise<void> {
    await m.query(
      `UPDATE scheduled_items SET status = $2, cancelled_at = NULL, fired_at = $3, outcome = $4 WHERE id = $1`,
      [id, ScheduledItemStatus.Done, this.clock.now(), outcome.slice(0, 200)],
    );
  }

  /** Timed transitions and overdue marks: the lifecycle's (follow-up's) own transaction first, then ours. */
  private async fireTimed(itemId: string): Promise<FireOutcome> {
    const pre = await this.db.getRepository(ScheduledItem).findOneBy({ id: itemId });
    if (!pre || !OPEN.includes(pre.status)) return 'skipped';
    if (pre.dueAt.getTime() > this.clock.now().getTime()) return 'not_due';

    // Timed transitions run in the lifecycle's own transaction, before ours: both are idempotent.
    let transition: string | undefined;
    const timedAction = TIMED_KINDS[pre.kind];
    if (pre.kind === ScheduledItemKind.CommitmentOverdue) {
      if (await this.outbox.hasPending(this.db.manager, pre.memorandumId)) return 'deferred';
      // The follow-up's own transaction, before ours (both idempotent); then the first overdue reminder.
      await this.followUp.markOverdue(String(pre.data.occurrenceId ?? ''));
    }
    if (timedAction) {
      if (await this.outbox.hasPending(this.db.manager, pre.memorandumId)) return 'deferred';
      transition = await this.timed.apply(pre.memorandumId, timedAction, pre.dueAt);
    }

    const after = new AfterCommit();
    const outcome = await this.db.transaction(async (m): Promise<FireOutcome> => {
      const item = await m
        .getRepository(ScheduledItem)
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.id = :id', { id: itemId })
        .getOne();
      // The transition this item applied publishes an event (expired, terminated) whose reaction, in another worker,
      // may cancel the memorandum's open items before this transaction takes the row: this item still did its work.
      const appliedHere = transition === 'applied' && item?.status === ScheduledItemStatus.Cancelled;
      if (!item || (!OPEN.includes(item.status) && !appliedHere)) return 'skipped';
      // Events about this memorandum that are not dispatched yet may cancel this item: they go first.
      if (transition === undefined && (await this.outbox.hasPending(m, item.memorandumId))) return 'deferred';
      const result = transition ?? (await sendDueMessage(this.messaging, m, item, after));
      await this.complete(m, item.id, result);
      return 'fired';
    });
    await this.afterCommit(after);
    return outcome;
  }

  /** Cancels open follow-up items of a memorandum (of one commitment) except those of the occurrences to keep. */
  async cancelCommitmentItems(
    m: EntityManager,
    filter: { memorandumId: string; commitmentId?: string; keepOccurrenceIds: string[] },
    reason: string,
  ): Promise<number> {
    const qb = m
      .createQueryBuilder()
      .update(ScheduledItem)
      .set({ status: ScheduledItemStatus.Cancelled, cancelledAt: this.clock.now(), outcome: reason.slice(0, 200) })
      .where('memorandum_id = :mid', { mid: filter.memorandumId })
      .andWhere('status IN (:...open)', { open: OPEN })
      .andWhere('kind IN (:...kinds)', { kinds: COMMITMENT_KINDS })
      .andWhere(`NOT (data->>'occurrenceId' = ANY(:keep))`, { keep: filter.keepOccurrenceIds });
    if (filter.commitmentId) qb.andWhere(`data->>'commitmentId' = :cid`, { cid: filter.commitmentId });
    return (await qb.execute()).affected ?? 0;
  }

  async list(memorandumId: string): Promise<ScheduledItem[]> {
    return this.db
      .getRepository(ScheduledItem)
      .find({ where: { memorandumId }, order: { dueAt: 'ASC', createdAt: 'ASC' } });
  }

  async openCount(memorandumId: string): Promise<number> {
    return this.db.getRepository(ScheduledItem).count({ where: { memorandumId, status: In(OPEN) } });
  }
}
