/**
 * The baseline of bench/reminders.bench.ts: a bare BullMQ Worker with a no-op processor in its own
 * process, on the same backend (Redis or BullMQ's PostgreSQL backend), with the same job options
 * and concurrency as Kelisim's queues. It says `ready` over IPC, then, after RAW_JOBS jobs have
 * completed, `done` with when the first and the last completed and how late each job started
 * (now − (job.timestamp + delay)). Its peak RSS is reported too.
 *
 * With RAW_WEBHOOK_URL the processor is no longer a no-op: each job POSTs one HMAC-signed JSON body
 * to that URL over keep-alive connections and waits for the answer — a reminder's webhook and
 * nothing else (no PostgreSQL, no inbox, no dedupe): the second reference line of the burst.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { Worker } from 'bullmq';
import { queueConnection, selectQueueBackend } from '@kelisim/platform';

/** One signed POST of `body`, answered (any status) or failed. */
function post(url: URL, agent: Agent, body: string): Promise<void> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `sha256=${createHmac('sha256', 'bench-secret').update(`${timestamp}.${body}`).digest('hex')}`;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'x-kelisim-timestamp': String(timestamp),
        'x-kelisim-signature': signature,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.end(body);
  });
}

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
  const webhook = process.env.RAW_WEBHOOK_URL ? new URL(process.env.RAW_WEBHOOK_URL) : undefined;
  // The body's envelope is about 120 bytes; the rest is text, as a reminder's message is (made here,
  // not carried in the job, as Kelisim's jobs carry ids only).
  const text = 'ә'.repeat(Math.max(0, Math.round((Number(process.env.RAW_WEBHOOK_BYTES ?? 0) - 120) / 2)));
  const agent = new Agent({ keepAlive: true, maxSockets: Number(process.env.RAW_CONCURRENCY ?? 5) });
  const worker = new Worker(
    process.env.RAW_QUEUE ?? 'raw',
    async (job) => {
      const due = job.timestamp + (job.opts.delay ?? 0);
      lateness.push(Date.now() - due);
      if (webhook) {
        const body = JSON.stringify({
          event: 'reminder.due',
          data: { memorandumId: (job.data as { id: string }).id, dueAt: new Date(due).toISOString(), text },
        });
        await post(webhook, agent, body);
      }
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
