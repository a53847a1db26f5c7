import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock, ensureJob, JobName, OutboxService, QueueName } from '@kelisim/platform';
import { DeliveriesService } from '@kelisim/notifications';
import { MemorandumDirectory, Recipients } from './memorandum-directory.port';
import { effectivePolicy, EffectivePolicy, PolicyKind } from './policies';
import { ReminderPolicy } from './reminder-policy.entity';
import { ReminderSettings } from './reminder-settings';
import { MessagingContext, sendDueMessage } from './reminder-messages';
import { ScheduledItem, ScheduledItemKind, ScheduledItemStatus } from './scheduled-item.entity';
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
  private readonly logger = new Logger('Schedule');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Schedule) private readonly queue: Queue,
    private readonly clock: Clock,
    private readonly settings: ReminderSettings,
    private readonly directory: MemorandumDirectory,
    private readonly recipients: Recipients,
    private readonly deliveries: DeliveriesService,
    private readonly timed: TimedTransitions,
    private readonly outbox: OutboxService,
  ) {}

  private get messaging(): MessagingContext {
    return {
      directory: this.directory,
      recipients: this.recipients,
      deliveries: this.deliveries,
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
  async afterCommit(after: AfterCommit): Promise<void> {
    try {
      const horizon = this.clock.now().getTime() + this.settings.horizonMs;
      for (const item of after.items) if (item.dueAt.getTime() <= horizon) await this.arm(item);
      await this.deliveries.enqueue(after.deliveries);
    } catch (e) {
      this.logger.warn(`Could not queue after commit (the reconciler will): ${(e as Error).message}`);
    }
  }

  private async arm(item: { id: string; dueAt: Date }): Promise<string> {
    const delay = item.dueAt.getTime() - this.clock.now().getTime();
    const result = await ensureJob(
      this.queue,
      JobName.FireScheduledItem,
      `sched-${item.id}`,
      { scheduledItemId: item.id },
      delay,
      {
        attempts: this.settings.fireAttempts,
        backoff: { type: 'exponential', delay: this.settings.fireBackoffMs },
      },
    );
    await this.db
      .getRepository(ScheduledItem)
      .update({ id: item.id, status: ScheduledItemStatus.Pending }, { status: ScheduledItemStatus.Enqueued });
    return result;
  }

  /** Arms every open item due within the horizon whose job is missing (Redis lost, crash between commit and enqueue). */
  async reconcile(limit = 1000): Promise<{ armed: number; deliveries: number }> {
    const until = new Date(this.clock.now().getTime() + this.settings.horizonMs);
    const items = await this.db
      .getRepository(ScheduledItem)
      .createQueryBuilder('s')
      .where('s.status IN (:...open)', { open: OPEN })
      .andWhere('s.due_at <= :until', { until })
      .orderBy('s.due_at')
      .limit(limit)
      .getMany();
    let armed = 0;
    for (const item of items) if ((await this.arm(item)) === 'added') armed++;
    const deliveries = await this.deliveries.reconcile();
    return { armed, deliveries };
  }

  /** Fires one item if it is still open and due. Safe to run twice: the row lock and status decide. */
  async fire(itemId: string): Promise<FireOutcome> {
    const pre = await this.db.getRepository(ScheduledItem).findOneBy({ id: itemId });
    if (!pre || !OPEN.includes(pre.status)) return 'skipped';
    if (pre.dueAt.getTime() > this.clock.now().getTime()) return 'not_due';

    // Timed transitions run in the lifecycle's own transaction, before ours: both are idempotent.
    let transition: string | undefined;
    const timedAction = TIMED_KINDS[pre.kind];
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
      await m.getRepository(ScheduledItem).update(item.id, {
        status: ScheduledItemStatus.Done,
        cancelledAt: null,
        firedAt: this.clock.now(),
        outcome: result.slice(0, 200),
      });
      return 'fired';
    });
    await this.afterCommit(after);
    return outcome;
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
