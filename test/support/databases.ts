/**
 * Each e2e test file gets its own database, copied (CREATE DATABASE … TEMPLATE) from one database
 * that the global setup migrated once per run; files then run in parallel without touching each other.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function databaseUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function runId(): string {
  const id = process.env.KELISIM_TEST_RUN;
  if (!id) throw new Error("KELISIM_TEST_RUN is not set: e2e tests run through jest's global setup (npm test)");
  return id;
}

/** A fresh database copied from the run's migrated template. */
export async function createTestDatabase(): Promise<{ name: string; url: string }> {
  const name = `kelisim_t_${runId()}_${randomBytes(4).toString('hex')}`;
  const template = `kelisim_tpl_${runId()}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (e) {
      // Another file copying the template at the same moment: wait and retry.
      if (attempt > 20 || !/being accessed by other users/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return { name, url: databaseUrl(name) };
}

export async function dropTestDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
