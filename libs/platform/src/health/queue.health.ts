import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Queue } from 'bullmq';
import { QueueName } from '../queues/queue-names';
import { QUEUE_BACKEND } from '../queues/queues.module';
import { QueueBackendKind } from '../queues/queue-backend';

/** The queue backend answers when a queue can read its counts, whichever backend it runs on. */
@Injectable()
export class QueueHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @InjectQueue(QueueName.Outbox) private readonly queue: Queue,
    @Inject(QUEUE_BACKEND) private readonly backend: QueueBackendKind,
  ) {}

  async check(key = 'queue') {
    const indicator = this.health.check(key);
    try {
      const counts = await Promise.race([
        this.queue.getJobCounts('waiting', 'delayed', 'failed'),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000).unref()),
      ]);
      return indicator.up({ backend: this.backend, outbox: counts });
    } catch (e) {
      return indicator.down({ backend: this.backend, error: (e as Error).message });
    }
  }
}
