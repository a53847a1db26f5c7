import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobName, QueueName } from '@kelisim/platform';
import { DeliverySender, DigestService } from '@kelisim/notifications';
import { HandlerTable, workerOptions } from './job-handlers';
import { QueueWorkerHost } from './queue-worker-host';

/**
 * The delivery queue: one job per e-mail delivery, one per batch of webhook deliveries (sent concurrently); a
 * failed attempt of the job's own delivery rethrows so BullMQ retries with backoff; and the repeated job that sends
 * the daily digests that are due.
 */
@Processor(QueueName.Delivery, workerOptions('DELIVERY_CONCURRENCY'))
export class DeliveryProcessor extends QueueWorkerHost {
  readonly queue = QueueName.Delivery;
  readonly handlers: HandlerTable = {
    [JobName.DeliverEmail]: (job) => this.sender.send(job.data.deliveryId, this.attempt(job)),
    [JobName.DeliverWebhook]: (job) =>
      this.sender.sendWebhooks(job.data.deliveryId, job.data.more ?? [], this.attempt(job)),
    [JobName.SendDigests]: () => this.digests.runDue(),
  };

  constructor(
    private readonly sender: DeliverySender,
    private readonly digests: DigestService,
  ) {
    super();
  }

  private attempt(job: Job) {
    return { attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 };
  }
}
