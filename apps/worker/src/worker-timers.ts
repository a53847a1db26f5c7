import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JobName, QueueName } from '@kelisim/platform';
import { ReminderSettings, ScheduleService } from '@kelisim/reminders';
import { DeliveryProcessor } from './delivery.processor';
import { EvidenceProcessor } from './evidence.processor';
import { verifyHandlerTables } from './job-handlers';
import { OutboxProcessor } from './outbox.processor';
import { ScheduleProcessor } from './schedule.processor';

/**
 * At worker start: checks that every job has its handler, registers the periodic jobs (job
 * schedulers are idempotent, so every worker may upsert them) and runs one reconciliation so that
 * whatever a lost Redis or a crash dropped is queued again. The job schedulers themselves live in
 * Redis: a watchdog re-upserts them periodically, so a Redis that lost everything gets them back.
 */
@Injectable()
export class WorkerTimers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WorkerTimers');
  private watchdog?: NodeJS.Timeout;
  private upserting = false;

  constructor(
    @InjectQueue(QueueName.Outbox) private readonly outbox: Queue,
    @InjectQueue(QueueName.Schedule) private readonly scheduleQueue: Queue,
    @InjectQueue(QueueName.Delivery) private readonly deliveryQueue: Queue,
    private readonly settings: ReminderSettings,
    private readonly schedule: ScheduleService,
    outboxProcessor: OutboxProcessor,
    scheduleProcessor: ScheduleProcessor,
    deliveryProcessor: DeliveryProcessor,
    evidenceProcessor: EvidenceProcessor,
  ) {
    verifyHandlerTables([outboxProcessor, scheduleProcessor, deliveryProcessor, evidenceProcessor]);
  }

  private async upsertSchedulers() {
    const keep = { removeOnComplete: { count: 50 }, removeOnFail: { count: 500 } };
    await this.outbox.upsertJobScheduler(
      'outbox-dispatch',
      { every: this.settings.dispatchEveryMs },
      { name: JobName.DispatchOutbox, data: {}, opts: keep },
    );
    await this.scheduleQueue.upsertJobScheduler(
      'schedule-reconcile',
      { every: this.settings.reconcileEveryMs },
      { name: JobName.Reconcile, data: {}, opts: keep },
    );
    // Daily digests: each run sends those whose local hour came and that were not sent today (one per user and day).
    await this.deliveryQueue.upsertJobScheduler(
      'notification-digests',
      { every: this.settings.reconcileEveryMs },
      { name: JobName.SendDigests, data: {}, opts: keep },
    );
  }

  onApplicationShutdown() {
    if (this.watchdog) clearInterval(this.watchdog);
  }

  async onApplicationBootstrap() {
    await this.upsertSchedulers();
    this.watchdog = setInterval(
      () => {
        if (this.upserting) return;
        this.upserting = true;
        this.upsertSchedulers()
          .catch((e) => this.logger.warn(`Could not upsert the job schedulers: ${(e as Error).message}`))
          .finally(() => {
            this.upserting = false;
          });
      },
      Math.max(1000, this.settings.reconcileEveryMs * 2),
    );
    this.watchdog.unref();
    try {
      const r = await this.schedule.reconcile();
      if (r.armed || r.deliveries)
        this.logger.log(`Start-up reconciliation queued ${r.armed} timers and ${r.deliveries} deliveries`);
    } catch (e) {
      this.logger.warn(`Start-up reconciliation failed (the periodic one will retry): ${(e as Error).message}`);
    }
  }
}
