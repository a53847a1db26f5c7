import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { STATE_FILE, type BrowserState } from './fixtures';

export default async function globalTeardown() {
  const servers = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as BrowserState[];
  await Promise.all(servers.map(stop));
}

/** Stops one worker's server (SIGTERM, then waits up to 15 s for it to exit) and drops its database. */
async function stop(state: BrowserState) {
  try {
    process.kill(state.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  for (let i = 0; i < 60; i++) {
    try {
      process.kill(state.pid, 0);
      await new Promise((r) => setTimeout(r, 250));
    } catch {
      break;
    }
  }
  const admin = new Client({
    connectionString: process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${state.database}" WITH (FORCE)`);
  await admin.end();
}
