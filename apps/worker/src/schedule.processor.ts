import { Processor } from '@nestjs/bullmq';
import { JobName, QueueName } from '@kelisim/platform';
import { ScheduleService } from '@kelisim/reminders';
import { HandlerTable, workerOptions } from './job-handlers';
import { QueueWorkerHost } from './queue-worker-host';

/** The schedule queue: timers that fire scheduled items, and the periodic reconciliation. */
@Processor(QueueName.Schedule, workerOptions('SCHEDULE_CONCURRENCY'))
export class ScheduleProcessor extends QueueWorkerHost {
  readonly queue = QueueName.Schedule;
  readonly handlers: HandlerTable = {
    [JobName.FireScheduledItem]: (job) => this.schedule.fire(job.data.scheduledItemId),
    [JobName.Reconcile]: () => this.schedule.reconcile(),
  };

  constructor(private readonly schedule: ScheduleService) {
    super();
  }
}
