import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobName, QueueName } from '@kelisim/platform/queues/queue-names';
import { ScheduleService } from '@kelisim/reminders';
import { HandlerTable, runHandler } from './job-handlers';

/** The schedule queue: timers that fire scheduled items, and the periodic reconciliation. */
@Processor(QueueName.Schedule, { concurrency: 5 })
export class ScheduleProcessor extends WorkerHost {
  readonly handlers: HandlerTable = {
    [JobName.FireScheduledItem]: (job) => this.schedule.fire(job.data.scheduledItemId),
    [JobName.Reconcile]: () => this.schedule.reconcile(),
  };

  constructor(private readonly schedule: ScheduleService) {
    super();
  }

  process(job: Job): Promise<unknown> {
    return runHandler(QueueName.Schedule, this.handlers, job);
  }
}
