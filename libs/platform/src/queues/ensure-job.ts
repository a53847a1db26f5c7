import { JobsOptions, Queue } from 'bullmq';

/**
 * Makes sure a job with this deterministic id is waiting or delayed on the queue. A job id only
 * collapses duplicates while the earlier job is still kept, and a completed job whose row is still
 * pending means the handler found it not yet due: it is replaced. A failed job is left alone
 * (visible in the dashboard); the database row says it failed.
 */
export async function ensureJob(
  queue: Queue,
  name: string,
  jobId: string,
  data: unknown,
  delay: number,
  opts: JobsOptions = {},
): Promise<'added' | 'present' | 'promoted' | 'failed'> {
  const existing = await queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state === 'delayed') {
      if (delay <= 0) {
        await existing.promote().catch(() => undefined);
        return 'promoted';
      }
      return 'present';
    }
    if (state === 'failed') return 'failed';
    if (state === 'completed') await existing.remove().catch(() => undefined);
    else if (state !== 'unknown') return 'present';
  }
  await queue.add(name, data, { ...opts, jobId, delay: Math.max(0, Math.round(delay)) });
  return 'added';
}

export interface NewJob {
  name: string;
  jobId: string;
  data: unknown;
  /** Milliseconds from now; zero or less: at once. */
  delay: number;
  opts?: JobsOptions;
}

/**
 * Adds jobs for rows that were never queued (fresh ids), a thousand per round trip (`addBulk`).
 * A job that already exists with the same id is left as it is, so this is safe to repeat; a row
 * whose job may have been lost or completed early goes through `ensureJob` instead.
 */
export async function addNewJobs(queue: Queue, jobs: NewJob[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += 1000) {
    await queue.addBulk(
      jobs.slice(i, i + 1000).map((j) => ({
        name: j.name,
        data: j.data,
        opts: { ...j.opts, jobId: j.jobId, delay: Math.max(0, Math.round(j.delay)) },
      })),
    );
  }
}
