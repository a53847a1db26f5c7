import { Job } from 'bullmq';
import { JOB_QUEUE, JobName, JobPayloads, QueueName, validateEnvironment } from '@kelisim/platform';

export type JobHandler<J extends JobName = JobName> = (job: Job<JobPayloads[J], unknown, J>) => Promise<unknown>;
export type HandlerTable = Partial<{ [J in JobName]: JobHandler<J> }>;

/** Dispatches a job to its handler by name; an unknown name fails the job (it stays in the failed set). */
export async function runHandler(queue: QueueName, handlers: HandlerTable, job: Job): Promise<unknown> {
  const handler = handlers[job.name as JobName] as JobHandler | undefined;
  if (!handler) throw new Error(`Queue ${queue} has no handler for job ${job.name}`);
  // eslint-disable-next-line no-restricted-syntax -- the handler is looked up by the job's name, so its payload type matches; TypeScript cannot correlate the two
  return handler(job as never);
}

/**
 * Start-up check (docs/architecture.md, "Jobs"): every JobName has exactly one handler, on the queue JOB_QUEUE
 * sends it to. Throws, so the process does not start half-wired.
 */
export function verifyHandlerTables(tables: { queue: QueueName; handlers: HandlerTable }[]): void {
  const problems: string[] = [];
  for (const name of Object.values(JobName)) {
    const owners = tables.filter((t) => t.handlers[name]);
    if (owners.length === 0) problems.push(`${name} has no handler`);
    if (owners.length > 1)
      problems.push(`${name} has ${owners.length} handlers (${owners.map((o) => o.queue).join(', ')})`);
    if (owners.length === 1 && owners[0].queue !== JOB_QUEUE[name])
      problems.push(`${name} is handled on ${owners[0].queue} but sent to ${JOB_QUEUE[name]}`);
  }
  for (const queue of Object.values(QueueName))
    if (!tables.some((t) => t.queue === queue)) problems.push(`queue ${queue} has no processor`);
  if (problems.length) throw new Error(`Job handlers are miswired: ${problems.join('; ')}`);
}

/**
 * Worker options. Concurrency (a number, or the variable that sets it), lock duration and stall
 * check come from the environment at start-up (lock and stall defaults are BullMQ's 30 s): a job of
 * a worker that died is picked up again after about that long.
 */
export function workerOptions(concurrency: number | 'SCHEDULE_CONCURRENCY' | 'DELIVERY_CONCURRENCY'): {
  concurrency: number;
  lockDuration?: number;
  stalledInterval?: number;
  maxStalledCount: number;
} {
  // Read when the processor classes are declared, before Nest's configuration exists; validated by the same schema.
  const env = validateEnvironment(process.env, [
    'WORKER_LOCK_DURATION_MS',
    'WORKER_STALLED_INTERVAL_MS',
    'SCHEDULE_CONCURRENCY',
    'DELIVERY_CONCURRENCY',
  ]);
  const { WORKER_LOCK_DURATION_MS: lockDuration, WORKER_STALLED_INTERVAL_MS: stalledInterval } = env;
  // Absent keys, not `undefined` values: BullMQ would take an explicit undefined as 0.
  return {
    concurrency: typeof concurrency === 'number' ? concurrency : env[concurrency],
    maxStalledCount: 5,
    ...(lockDuration ? { lockDuration } : {}),
    ...(stalledInterval ? { stalledInterval } : {}),
  };
}
