import { Processor } from '@nestjs/bullmq';
import { JobName, QueueName } from '@kelisim/platform';
import { HandlerTable, workerOptions } from './job-handlers';
import { OutboxDispatcher } from './outbox/outbox-dispatcher';
import { QueueWorkerHost } from './queue-worker-host';

/** The outbox queue: the periodic dispatch of transitions' events to their reactions. */
@Processor(QueueName.Outbox, workerOptions(1))
export class OutboxProcessor extends QueueWorkerHost {
  readonly queue = QueueName.Outbox;
  readonly handlers: HandlerTable = {
    [JobName.DispatchOutbox]: () => this.dispatcher.dispatch(),
  };

  constructor(private readonly dispatcher: OutboxDispatcher) {
    super();
  }
}
