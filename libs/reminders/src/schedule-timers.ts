import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { addNewJobs, Clock, ensureJob, JobName } from '@kelisim/platform';
import { DeliveriesService } from '@kelisim/notifications';
import { ReminderSettings } from './reminder-settings';
import type { AfterCommit } from './after-commit';
import { ScheduledItem, ScheduledItemStatus } from './scheduled-item.entity';

/**
 * The BullMQ side of the schedule: delayed jobs `sched-<item id>` that wake items, armed after the
 * commit that wrote the items and re-armed by the reconciler. PostgreSQL stays the source of truth.
 */
export class ScheduleTimers {
  private readonly logger = new Logger('Schedule');

  constructor(
    private readonly db: DataSource,
    private readonly queue: Queue,
    private readonly clock: Clock,
    private readonly settings: ReminderSettings,
    private readonly deliveries: DeliveriesService,
  ) {}

  /** After the commit: arm the timers of new items and queue new deliveries. Failures here are repaired by `reconcile`. */
  async afterCommit(after: AfterCommit): Promise<void> {
    try {
      const horizon = this.clock.now().getTime() + this.settings.horizonMs;
      await this.armNew(after.items.filter((item) => item.dueAt.getTime() <= horizon));
      await this.deliveries.enqueue(after.deliveries);
    } catch (e) {
      this.logger.warn(`Could not queue after commit (the reconciler will): ${(e as Error).message}`);
    }
  }

  private jobOptions() {
    return {
      attempts: this.settings.fireAttempts,
      backoff: { type: 'exponential', delay: this.settings.fireBackoffMs },
    };
  }

  /** Items never armed (new, or `pending` in the table): their jobs in one round trip per thousand, then one UPDATE. */
  private async armNew(items: { id: string; dueAt: Date }[]): Promise<void> {
    if (!items.length) return;
    const now = this.clock.now().getTime();
    await addNewJobs(
      this.queue,
      items.map((item) => ({
        name: JobName.FireScheduledItem,
        jobId: `sched-${item.id}`,
        data: { scheduledItemId: item.id },
        delay: item.dueAt.getTime() - now,
        opts: this.jobOptions(),
      })),
    );
    await this.db.query(`UPDATE scheduled_items SET status = $1 WHERE id = ANY($2::uuid[]) AND status = $3`, [
      ScheduledItemStatus.Enqueued,
      items.map((i) => i.id),
      ScheduledItemStatus.Pending,
    ]);
  }

  /** An armed item whose job may be gone (Redis lost) or completed early (not yet due then): checked and re-added. */
  private async arm(item: { id: string; dueAt: Date }): Promise<string> {
    const delay = item.dueAt.getTime() - this.clock.now().getTime();
    return ensureJob(
      this.queue,
      JobName.FireScheduledItem,
      `sched-${item.id}`,
      { scheduledItemId: item.id },
      delay,
      this.jobOptions(),
    );
  }

  /**
   * Arms every open item due within the horizon whose job is missing (Redis lost, crash between commit and
   * enqueue, items written in bulk): never-armed (`pending`) items page by page with `addBulk`, however many;
   * armed ones (`enqueued`, `limit` of them, the earliest first) one by one with `ensureJob`.
   */
  async reconcile(limit = 1000): Promise<{ armed: number; deliveries: number }> {
    const until = new Date(this.clock.now().getTime() + this.settings.horizonMs);
    const open = (status: ScheduledItemStatus[]) =>
      this.db
        .getRepository(ScheduledItem)
        .createQueryBuilder('s')
        .select(['s.id', 's.dueAt'])
        .where('s.status IN (:...status)', { status })
        .andWhere('s.due_at <= :until', { until })
        .orderBy('s.due_at')
        .limit(limit)
        .getMany();
    let armed = 0;
    for (let page = 0; page < 1000; page++) {
      const fresh = await open([ScheduledItemStatus.Pending]);
      await this.armNew(fresh);
      armed += fresh.length;
      if (fresh.length < limit) break;
    }
    for (const item of await open([ScheduledItemStatus.Enqueued])) if ((await this.arm(item)) === 'added') armed++;
    const deliveries = await this.deliveries.reconcile();
    return { armed, deliveries };
  }
}
