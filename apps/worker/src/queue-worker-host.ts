import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { QueueName } from '@kelisim/platform';
import { HandlerTable, runHandler } from './job-handlers';

/**
 * One WorkerHost per queue (docs/architecture.md, "Jobs"): a processor declares its queue and its handler
 * table; this base dispatches by job name and logs connection errors and failed attempts in one
 * line each (BullMQ reconnects and retries by itself).
 */
export abstract class QueueWorkerHost extends WorkerHost {
  abstract readonly queue: QueueName;
  abstract readonly handlers: HandlerTable;
  private logger?: Logger;

  private get log(): Logger {
    return (this.logger ??= new Logger(`Worker:${this.queue}`));
  }

  @OnWorkerEvent('error')
  onError(error: Error) {
    this.log.warn(`queue connection error: ${error.message}`);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error) {
    if (job) this.log.warn(`${job.name} ${job.id} attempt ${job.attemptsMade} failed: ${error.message}`);
  }

  process(job: Job): Promise<unknown> {
    return runHandler(this.queue, this.handlers, job);
  }
}
