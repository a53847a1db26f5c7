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
import { MessagingContext } from './messaging-context';
import { ScheduledItem, ScheduledItemKind, ScheduledItemStatus } from './scheduled-item.entity';
import { ScheduleTimers } from './schedule-timers';
import { AfterCommit, NewItem } from './after-commit';
import { FireOutcome, ScheduleFiring } from './schedule-firing';
import { TimedTransitions } from './timed-transitions';

export { AfterCommit } from './after-commit';
export type { NewItem } from './after-commit';
export type { FireOutcome } from './schedule-firing';

const OPEN = [ScheduledItemStatus.Pending, ScheduledItemStatus.Enqueued];
const COMMITMENT_KINDS = [
  ScheduledItemKind.CommitmentDue,
  ScheduledItemKind.CommitmentOverdue,
  ScheduledItemKind.CommitmentOverdueReminder,
  ScheduledItemKind.CommitmentEscalation,
];

/**
 * The schedule: the one writer of scheduled_items. Items are written in the transaction of
 * whatever caused them (an outbox event, a fired reminder); BullMQ delayed jobs with the id
 * `sched-<id>` only wake them, and `reconcile` re-arms anything due soon that the queue lost.
 * Firing compares due_at with the injected Clock, so moving a ManualClock is enough in tests.
 */
@Injectable()
export class ScheduleService {
  private readonly timers: ScheduleTimers;
  private readonly firing: ScheduleFiring;

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
    this.firing = new ScheduleFiring({
      db,
      clock,
      outbox,
      directory,
      recipients,
      deliveries,
      timed,
      followUp,
      messaging: () => this.messaging,
      schedule: (m, after, ...items) => this.schedule(m, after, ...items),
      afterCommit: (after) => this.afterCommit(after),
    });
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

  /** Inserts items (a dedupe key already present: nothing happens) in one statement; returns and remembers the new ones. */
  async schedule(m: EntityManager, after: AfterCommit, ...items: NewItem[]): Promise<number> {
    if (!items.length) return 0;
    const rows = items.map((item) => ({
      kind: item.kind,
      memorandum_id: item.memorandumId,
      organisation_id: item.organisationId ?? null,
      revision_number: item.revisionNumber ?? null,
      due_at: item.dueAt.toISOString(),
      sequence: item.sequence ?? 1,
      dedupe_key: item.dedupeKey,
      data: item.data ?? {},
    }));
    const inserted = (await m.query(
      `INSERT INTO scheduled_items (kind, memorandum_id, organisation_id, revision_number, due_at, sequence, status,
                                    dedupe_key, data, created_at)
       SELECT kind, memorandum_id, organisation_id, revision_number, due_at, sequence, $2, dedupe_key, data, $3
         FROM jsonb_to_recordset($1::jsonb) AS x(kind text, memorandum_id uuid, organisation_id uuid, revision_number int,
                                                 due_at timestamptz, sequence int, dedupe_key text, data jsonb)
       ON CONFLICT DO NOTHING
       RETURNING id, due_at`,
      [JSON.stringify(rows), ScheduledItemStatus.Pending, this.clock.now()],
    )) as { id: string; due_at: Date }[];
    for (const r of inserted) after.items.push({ id: r.id, dueAt: new Date(r.due_at) });
    return inserted.length;
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

  /** Fires one item, and with it a batch of other due messages (ScheduleFiring). */
  fire(itemId: string): Promise<FireOutcome> {
    return this.firing.fire(itemId);
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
