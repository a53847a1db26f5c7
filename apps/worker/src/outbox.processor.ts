import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobName, QueueName } from '@kelisim/platform/queues/queue-names';
import { HandlerTable, runHandler } from './job-handlers';
import { OutboxDispatcher } from './outbox/outbox-dispatcher';

/** The outbox queue: the periodic dispatch of transitions' events to their reactions. */
@Processor(QueueName.Outbox, { concurrency: 1 })
export class OutboxProcessor extends WorkerHost {
  readonly handlers: HandlerTable = {
    [JobName.DispatchOutbox]: () => this.dispatcher.dispatch(),
  };

  constructor(private readonly dispatcher: OutboxDispatcher) {
    super();
  }

  process(job: Job): Promise<unknown> {
    return runHandler(QueueName.Outbox, this.handlers, job);
  }
}
