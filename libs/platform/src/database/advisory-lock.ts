import { DataSource, EntityManager } from 'typeorm';

/** Keys of the PostgreSQL advisory locks the service takes; one place so that none collide. */
export enum AdvisoryLock {
  Migrations = 7_301_001,
  OutboxDispatch = 7_301_002,
  Reconciliation = 7_301_003,
}

/**
 * Runs `work` while holding a session-level advisory lock on one dedicated connection, so that only
 * one process in the cluster does it at a time (e.g. migrations when two replicas boot together).
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  key: AdvisoryLock,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await work(runner.manager);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await runner.release();
  }
}

/** Like withAdvisoryLock but gives up at once when another process holds the lock. */
export async function tryWithAdvisoryLock<T>(
  dataSource: DataSource,
  key: AdvisoryLock,
  work: (manager: EntityManager) => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [key]);
    if (!locked) return { ran: false };
    try {
      return { ran: true, value: await work(runner.manager) };
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await runner.release();
  }
}
