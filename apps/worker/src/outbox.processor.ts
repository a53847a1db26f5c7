import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { JobName, QueueName } from '@kelisim/platform/queues/queue-names';
import { HandlerTable, runHandler, workerOptions } from './job-handlers';
import { OutboxDispatcher } from './outbox/outbox-dispatcher';

/** The outbox queue: the periodic dispatch of transitions' events to their reactions. */
@Processor(QueueName.Outbox, workerOptions(1))
export class OutboxProcessor extends WorkerHost {
  readonly handlers: HandlerTable = {
    [JobName.DispatchOutbox]: () => this.dispatcher.dispatch(),
  };

  constructor(private readonly dispatcher: OutboxDispatcher) {
    super();
  }

  private readonly logger = new Logger(`Worker:${QueueName.Outbox}`);

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
    return runHandler(QueueName.Outbox, this.handlers, job);
  }
}
