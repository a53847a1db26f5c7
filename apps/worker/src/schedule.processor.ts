import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { JobName, QueueName } from '@kelisim/platform/queues/queue-names';
import { ScheduleService } from '@kelisim/reminders';
import { HandlerTable, runHandler, workerOptions } from './job-handlers';

/** The schedule queue: timers that fire scheduled items, and the periodic reconciliation. */
@Processor(QueueName.Schedule, workerOptions(5))
export class ScheduleProcessor extends WorkerHost {
  readonly handlers: HandlerTable = {
    [JobName.FireScheduledItem]: (job) => this.schedule.fire(job.data.scheduledItemId),
    [JobName.Reconcile]: () => this.schedule.reconcile(),
  };

  constructor(private readonly schedule: ScheduleService) {
    super();
  }

  private readonly logger = new Logger(`Worker:${QueueName.Schedule}`);

  /** Connection errors (Redis or PostgreSQL going away, e.g. at shutdown) are logged; BullMQ reconnects. */
  @OnWorkerEvent('error')
  onError(error: Error) {
    this.logger.warn(`queue connection error: ${error.message}`);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error) {
    if (job) this.logger.warn(`${job.name} ${job.id} attempt ${job.attemptsMade} failed: ${error.message}`);
  }

  process(job: Job): Promise<unknown> {
    return runHandler(QueueName.Schedule, this.handlers, job);
  }
}
