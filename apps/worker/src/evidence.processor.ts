import { Processor } from '@nestjs/bullmq';
import { JobName, QueueName } from '@kelisim/platform';
import { EvidenceService } from '@kelisim/evidence';
import { HandlerTable, workerOptions } from './job-handlers';
import { QueueWorkerHost } from './queue-worker-host';

/** The evidence queue: renders a memorandum's evidence PDF for its current history head (idempotent in PostgreSQL). */
@Processor(QueueName.Evidence, workerOptions(1))
export class EvidenceProcessor extends QueueWorkerHost {
  readonly queue = QueueName.Evidence;
  readonly handlers: HandlerTable = {
    [JobName.RenderEvidence]: (job) => this.evidence.render(job.data.memorandumId),
  };

  constructor(private readonly evidence: EvidenceService) {
    super();
  }
}
