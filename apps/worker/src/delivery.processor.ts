import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { JobName, QueueName } from '@kelisim/platform/queues/queue-names';
import { DeliverySender } from '@kelisim/notifications';
import { HandlerTable, runHandler, workerOptions } from './job-handlers';

/** The delivery queue: one job per e-mail or webhook delivery; a failed attempt rethrows so BullMQ retries with backoff. */
@Processor(QueueName.Delivery, workerOptions(5))
export class DeliveryProcessor extends WorkerHost {
  readonly handlers: HandlerTable = {
    [JobName.DeliverEmail]: (job) => this.send(job),
    [JobName.DeliverWebhook]: (job) => this.send(job),
  };

  constructor(private readonly sender: DeliverySender) {
    super();
  }

  private send(job: Job<{ deliveryId: string }>) {
    return this.sender.send(job.data.deliveryId, { attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 });
  }

  private readonly logger = new Logger(`Worker:${QueueName.Delivery}`);

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
    return runHandler(QueueName.Delivery, this.handlers, job);
  }
}
