import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobName, QueueName } from '@kelisim/platform';
import { DeliverySender } from '@kelisim/notifications';
import { HandlerTable, workerOptions } from './job-handlers';
import { QueueWorkerHost } from './queue-worker-host';

/** The delivery queue: one job per e-mail or webhook delivery; a failed attempt rethrows so BullMQ retries with backoff. */
@Processor(QueueName.Delivery, workerOptions('DELIVERY_CONCURRENCY'))
export class DeliveryProcessor extends QueueWorkerHost {
  readonly queue = QueueName.Delivery;
  readonly handlers: HandlerTable = {
    [JobName.DeliverEmail]: (job) => this.send(job),
    [JobName.DeliverWebhook]: (job) => this.send(job),
  };

  constructor(private readonly sender: DeliverySender) {
    super();
  }

  private send(job: Job<{ deliveryId: string }>) {
    return this.sender.send(job.data.deliveryId, {
      attempt: job.attemptsMade + 1,
      maxAttempts: job.opts.attempts ?? 1,
    });
  }
}
