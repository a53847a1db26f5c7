/**
 * For each Playwright worker: creates a database, starts `kelisim start` on it (migrations at boot,
 * the worker in the same process, Redis with a private queue prefix) on a free port, creates the
 * admin and the Taraz organisations and people through the API, and leaves their names for the
 * tests in a JSON file.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FullConfig } from '@playwright/test';
import { Client } from 'pg';
import { OVERSIGHT, PEOPLE, ORGANISATIONS, PASSWORD, STATE_FILE, type BrowserState } from './fixtures';

const ROOT = join(__dirname, '..', '..');
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function call(
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<any> {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * `kelisim start` from the build (bin/kelisim.js → dist/) with the environment given, as a child
 * of this process; resolves once `GET /health/ready` answers 200 at base, and fails as soon as the
 * process exits. The 10-minute limit only stops a hung server: two servers migrating their
 * databases side by side on a busy machine may take minutes, and that is not a failure.
 */
export async function startKelisim(env: NodeJS.ProcessEnv, base: string): Promise<ChildProcess> {
  const app = spawn(process.execPath, [join(ROOT, 'bin', 'kelisim.js'), 'start'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: false,
  });
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (app.exitCode !== null) throw new Error(`kelisim start exited with ${app.exitCode}`);
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      app.kill('SIGTERM');
      throw new Error('kelisim start did not become ready in 10 minutes');
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return app;
}

/**
 * One server per Playwright worker (`workers` in playwright.config.ts), each with its own database,
 * queue prefix, data directory and people: the test files of one worker never see another's data,
 * so they run side by side. The servers start and are seeded at the same time.
 */
export default async function globalSetup(config: FullConfig) {
  const started = await Promise.allSettled(
    Array.from({ length: Math.max(1, config.workers) }, (_, i) => startServer(i)),
  );
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    for (const s of servers) process.kill(s.pid, 'SIGTERM');
    throw failed.reason;
  }
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(servers));
  process.env.KELISIM_BROWSER_BASE_URL = servers[0].base;
}

/** Starts and seeds the server of the worker whose TEST_PARALLEL_INDEX is `index`. */
async function startServer(index: number): Promise<BrowserState> {
  const name = `kelisim_browser_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  const port = await freePort();
  const dataDir = join(ROOT, 'test-results', `browser-data-${index}`);
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: u.toString(),
    REDIS_URL,
    QUEUE_PREFIX: `kb_${randomBytes(3).toString('hex')}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // Many people sign in from one address in these tests; the limit has its own e2e test.
    LOGIN_RATE_LIMIT: '100000',
    DATA_DIR: dataDir,
    // digital-signing.browser.ts writes its own test PKI's root here (read at each verification).
    SIGNATURE_TRUST_ANCHORS: join(dataDir, 'signature-anchors.pem'),
    KELISIM_ADMIN_PASSWORD: PASSWORD,
  };
  const base = `http://localhost:${port}`;
  const app = await startKelisim(env, base);
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'bin', 'kelisim.js'), 'create-admin', '--email', PEOPLE.admin.email, '--name', PEOPLE.admin.fullName],
    { env, cwd: ROOT },
  );
  const adminToken = (await call(base, 'POST', '/auth/login', null, { email: PEOPLE.admin.email, password: PASSWORD }))
    .token as string;
  // The admin speaks the fixtures' language from the start (a test run alone does not depend on
  // an earlier test having set it).
  await call(base, 'PATCH', '/me', adminToken, { language: PEOPLE.admin.language });
  const orgIds: Record<string, string> = {};
  for (const o of [...ORGANISATIONS, OVERSIGHT]) {
    const created = await call(base, 'POST', '/organisations', adminToken, {
      name: o.name,
      shortName: o.shortName,
      kind: o.kind,
      language: o.language,
    });
    orgIds[o.key] = created.id;
  }
  for (const [key, p] of Object.entries(PEOPLE)) {
    if (key === 'admin') continue;
    await call(base, 'POST', '/users', adminToken, {
      fullName: p.fullName,
      email: p.email,
      password: PASSWORD,
      organisationId: orgIds[p.organisation],
      roles: p.roles,
      language: p.language,
    });
  }
  return { base, port, database: name, dataDir, pid: app.pid!, orgIds };
}
