/**
 * The baseline of bench/reminders.bench.ts: a bare BullMQ Worker with a no-op processor in its own
 * process, on the same backend (Redis or BullMQ's PostgreSQL backend), with the same job options
 * and concurrency as Kelisim's queues. It says `ready` over IPC, then, after RAW_JOBS jobs have
 * completed, `done` with when the first and the last completed and how late each job started
 * (now − (job.timestamp + delay)). Its peak RSS is reported too.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'bullmq';
import { queueConnection, selectQueueBackend } from '@kelisim/platform';

async function main() {
  const backend = process.env.RAW_BACKEND === 'postgres' ? 'postgres' : 'redis';
  selectQueueBackend(backend);
  const jobs = Number(process.env.RAW_JOBS);
  const env =
    backend === 'redis' ? { REDIS_URL: process.env.RAW_REDIS_URL } : { DATABASE_URL: process.env.RAW_DATABASE_URL };
  const lateness: number[] = [];
  let first = 0;
  let last = 0;
  let count = 0;
  const worker = new Worker(
    process.env.RAW_QUEUE ?? 'raw',
    async (job) => {
      lateness.push(Date.now() - (job.timestamp + (job.opts.delay ?? 0)));
    },
    {
      // eslint-disable-next-line no-restricted-syntax -- an ioredis option object or the PostgreSQL backend's options
      connection: queueConnection(env) as never,
      prefix: process.env.RAW_PREFIX,
      concurrency: Number(process.env.RAW_CONCURRENCY ?? 5),
    },
  );
  worker.on('error', () => undefined);
  worker.on('completed', () => {
    const now = Date.now();
    if (!first) first = now;
    last = now;
    if (++count === jobs) {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
      process.send!({ type: 'done', first, last, lateness, peakRssKb: hwm ? Number(hwm[1]) : 0 });
    }
  });
  await worker.waitUntilReady();
  process.send!({ type: 'ready' });
  process.on('disconnect', () => void worker.close().finally(() => process.exit(0)));
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
