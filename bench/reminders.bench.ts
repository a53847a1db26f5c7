/**
 * Reminders against raw BullMQ (docs/performance.md, "Reminders"). For each queue backend
 * (BENCH_BACKENDS, `redis,postgres`) and scenario (BENCH_SCENARIOS, `burst,steady`) it fills a fresh
 * migrated database by bulk SQL with memoranda in review and one due approval reminder each (one
 * party, one representative, a webhook of the coordinating organisation on a sink in this process),
 * starts ONE `kelisim worker` process (from dist/: run `npm run build` first) and waits until every
 * reminder has reached the inbox and the webhook sink. Baseline in the same run: a bare BullMQ
 * worker process (bench/raw-bullmq-worker.ts) with a no-op processor, the same backend, job options
 * and concurrency, processing as many delayed jobs due at the same times.
 *
 *   burst   BENCH_BURST (100000) reminders due at one instant: deliveries per second, and the ratio
 *           to raw BullMQ's jobs per second.
 *   steady  BENCH_STEADY_RATE (100) reminders a second for BENCH_STEADY_SECONDS (60): delay from
 *           due time to the webhook's arrival and to the in-app row, p50/p99.
 *
 * E-mail is kept out of the measurement: quiet hours are set to cover the run, so the e-mail copies
 * wait (they are counted). Exits 1 when a reminder is not delivered exactly once (in-app and webhook);
 * never on timing. BENCH_CPU_PROF=<dir> writes a CPU profile of the worker (node --cpu-prof);
 * BENCH_WORKER_HEAP_MB=<n> starts the worker with --max-old-space-size=<n>; BENCH_WORKER_FLAGS adds
 * node options to its command line (e.g. `--heap-growing-percent=0`: V8's own heap growth instead
 * of the one `kelisim` sets, apps/cli/src/heap-growth.ts).
 */
import 'reflect-metadata';
import { ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  migrateQueueSchema,
  QueueName,
  queueConnection,
  SecretBox,
  selectQueueBackend,
} from '@kelisim/platform';
import { MIGRATIONS } from '../migrations';

const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'redis,postgres').split(',').map((s) => s.trim()) as (
  'redis' | 'postgres'
)[];
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'burst,steady').split(',').map((s) => s.trim());
const BURST = num('BENCH_BURST', 100_000);
const RATE = num('BENCH_STEADY_RATE', 100);
const SECONDS = num('BENCH_STEADY_SECONDS', 60);
const PARTIES = num('BENCH_ORGS', 100);
/** The raw baseline's concurrency: Kelisim's delivery queue's (DELIVERY_CONCURRENCY, default below). */
const CONCURRENCY = num('BENCH_CONCURRENCY', num('DELIVERY_CONCURRENCY', 10));
const CPU_PROF = process.env.BENCH_CPU_PROF;
/** The burst's second reference line (raw BullMQ + a webhook POST per job); BENCH_RAW_WEBHOOK=0 leaves it out. */
const RAW_WEBHOOK = process.env.BENCH_RAW_WEBHOOK !== '0';
/** V8's old-space limit for the worker (`--max-old-space-size`), in MB; unset: Node's default. */
const WORKER_HEAP_MB = process.env.BENCH_WORKER_HEAP_MB;
/** Node options for the worker's command line, space-separated. */
const WORKER_FLAGS = (process.env.BENCH_WORKER_FLAGS ?? '').split(/\s+/).filter(Boolean);
const ROOT = join(__dirname, '..');

const failures: string[] = [];
const out: string[] = [];
const line = (k: string, v: string) => {
  const s = `${k.padEnd(44)} ${v}`;
  out.push(s);
  console.log(s);
};
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const peakRssMb = (pid: number) => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
};

interface Hook {
  memorandumId: string;
  dueAt: number;
  at: number;
  bytes: number;
}

/** The mean size of the bodies a sink received, in bytes. */
const meanBytes = (hooks: Hook[]) => hooks.reduce((t, h) => t + h.bytes, 0) / Math.max(1, hooks.length);

async function startSink() {
  const hooks: Hook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          data: { memorandumId: string; dueAt: string };
        };
        const bytes = chunks.reduce((n, c) => n + c.length, 0);
        hooks.push({ memorandumId: body.data.memorandumId, dueAt: Date.parse(body.data.dueAt), at, bytes });
      } catch {
        // counted as nothing: a reminder that never arrives fails the run
      }
      res.end('ok');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    hooks,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

async function freshDatabase(): Promise<{ name: string; url: string }> {
  const name = `kelisim_rbench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  const ds = new DataSource(dataSourceOptions(u.toString(), [], MIGRATIONS));
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
  return { name, url: u.toString() };
}

async function dropDatabase(name: string) {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

/** Memoranda in review, one party each (one representative), one due approval reminder each; offsets in ms from the due instant. */
async function fill(db: Client, n: number, sinkUrl: string, box: SecretBox, spacingMs: number) {
  await db.query(`SET synchronous_commit = off`);
  await db.query(
    `INSERT INTO organisations (name, short_name, kind, language)
     SELECT 'Ұйым ' || i, 'Ұйым ' || i, 'ngo', 'kk' FROM generate_series(0, $1) i`,
    [PARTIES],
  );
  await db.query(`CREATE TEMP TABLE o AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM organisations`);
  await db.query(
    `INSERT INTO users (full_name, email, password_hash, organisation_id, roles, language)
     SELECT 'Rep ' || o.n, 'rep' || o.n || '@bench.kz', 'x', o.id, '{party_representative}', 'ru' FROM o WHERE o.n > 0`,
  );
  const coordinator = (await db.query(`SELECT id FROM o WHERE n = 0`)).rows[0].id as string;
  await db.query(
    `INSERT INTO webhooks (organisation_id, url, events, secret) VALUES ($1, $2, '{approval_reminder}', $3)`,
    [coordinator, sinkUrl, box.seal('bench-secret')],
  );
  await db.query(
    `INSERT INTO memoranda (title, purpose, body, language, time_zone, coordinating_organisation_id, status, created_at, updated_at)
     SELECT 'Меморандум ' || i, 'p', 'b', 'ru', 'UTC', $2, 'in_review', now(), now() FROM generate_series(1, $1) i`,
    [n, coordinator],
  );
  await db.query(`CREATE TEMP TABLE mm AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM memoranda`);
  await db.query(
    `INSERT INTO memorandum_parties (memorandum_id, organisation_id, role, "order", signatory_user_ids, created_at)
     SELECT mm.id, o.id, 'signatory', 1, '{}', now() FROM mm JOIN o ON o.n = 1 + mm.n % $1`,
    [PARTIES],
  );
  // Due far away for now: the instant is set once the worker is about to start.
  await db.query(
    `INSERT INTO scheduled_items (kind, memorandum_id, organisation_id, revision_number, due_at, sequence, status, dedupe_key, data, created_at)
     SELECT 'approval_reminder', mm.id, o.id, 1, '2999-01-01', 1, 'pending', 'bench:' || mm.id, '{}', now()
       FROM mm JOIN o ON o.n = 1 + mm.n % $1`,
    [PARTIES],
  );
  await db.query(
    `CREATE TEMP TABLE ord AS SELECT id, row_number() OVER (ORDER BY memorandum_id) - 1 AS n FROM scheduled_items`,
  );
  await db.query('ANALYZE');
  return async (instant: number) => {
    await db.query(
      `UPDATE scheduled_items s SET due_at = to_timestamp(($1::float8 + ord.n * $2::float8) / 1000) FROM ord WHERE ord.id = s.id`,
      [instant, spacingMs],
    );
  };
}

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const args = [
    ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []),
    ...(WORKER_HEAP_MB ? [`--max-old-space-size=${WORKER_HEAP_MB}`] : []),
    ...WORKER_FLAGS,
    '-r',
    join(__dirname, 'count-round-trips.js'),
    join(ROOT, 'bin', 'kelisim.js'),
    'worker',
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      log = (log + d.toString()).slice(-8000);
      if (/worker ready in/.test(log)) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => {
      log = (log + d.toString()).slice(-8000);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${log}`)));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
}

/**
 * Raw BullMQ: `n` delayed jobs due at instant + i·spacing, a no-op worker in its own process; with
 * `webhook`, a worker whose every job POSTs one signed body of about `bodyBytes` to its URL instead.
 */
async function rawBaseline(
  backend: 'redis' | 'postgres',
  databaseUrl: string,
  n: number,
  spacingMs: number,
  leadMs: number,
  webhook?: { url: string; bodyBytes: number },
) {
  selectQueueBackend(backend);
  const prefix = `rawbench${randomBytes(3).toString('hex')}`;
  const env = backend === 'redis' ? { REDIS_URL } : { DATABASE_URL: databaseUrl };
  const child = fork(join(__dirname, 'raw-bullmq-worker.ts'), [], {
    cwd: ROOT,
    execArgv: ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register'],
    env: {
      ...process.env,
      TS_NODE_TRANSPILE_ONLY: '1',
      RAW_BACKEND: backend,
      RAW_REDIS_URL: REDIS_URL,
      RAW_DATABASE_URL: databaseUrl,
      RAW_PREFIX: prefix,
      RAW_JOBS: String(n),
      RAW_CONCURRENCY: String(CONCURRENCY),
      ...(webhook ? { RAW_WEBHOOK_URL: webhook.url, RAW_WEBHOOK_BYTES: String(webhook.bodyBytes) } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  type Done = { type: 'done'; first: number; last: number; lateness: number[]; peakRssKb: number };
  const done = new Promise<Done>((resolve, reject) => {
    child.on('message', (m: { type: string }) => m.type === 'done' && resolve(m as Done));
    child.once('exit', (c) => reject(new Error(`raw worker exited with ${c}`)));
  });
  await new Promise<void>((r) => child.on('message', (m: { type: string }) => m.type === 'ready' && r()));
  // eslint-disable-next-line no-restricted-syntax -- ioredis options or the PostgreSQL backend's
  const queue = new Queue('raw', { connection: queueConnection(env) as never, prefix });
  queue.on('error', () => undefined);
  const instant = Date.now() + leadMs;
  const opts = {
    attempts: 8,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3600, count: 50_000 },
  };
  for (let i = 0; i < n; i += 1000) {
    const now = Date.now();
    const batch = Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
      name: 'noop',
      data: webhook ? { i: i + k, id: randomUUID() } : { i: i + k },
      opts: { ...opts, jobId: `raw-${i + k}`, delay: Math.max(0, instant + (i + k) * spacingMs - now) },
    }));
    await queue.addBulk(batch);
  }
  const armedAt = Date.now();
  const result = await done;
  child.disconnect();
  await stopProcess(child);
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  return { ...result, instant, armedLate: armedAt - instant };
}

/** Removes the worker's queues from the shared Redis (jobs kept as completed). */
async function obliterate(prefix: string) {
  selectQueueBackend('redis');
  for (const name of Object.values(QueueName)) {
    // eslint-disable-next-line no-restricted-syntax -- ioredis options
    const queue = new Queue(name, { connection: queueConnection({ REDIS_URL }) as never, prefix });
    queue.on('error', () => undefined);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

/** WAL the whole PostgreSQL server has written so far (pg_stat_wal, PostgreSQL 14+). */
async function walBytes(db: Client): Promise<{ bytes: number; fpi: number; records: number }> {
  const [r] = (
    await db.query(
      `SELECT wal_bytes::float8 AS bytes, wal_fpi::float8 AS fpi, wal_records::float8 AS records FROM pg_stat_wal`,
    )
  ).rows;
  return { bytes: Number(r.bytes), fpi: Number(r.fpi), records: Number(r.records) };
}

/** Statements sent to PostgreSQL and commands to Redis by the worker so far (bench/count-round-trips.js). */
async function roundTrips(worker: ChildProcess, file: string): Promise<{ pg: number; redis: number }> {
  rmSync(file, { force: true });
  worker.kill('SIGUSR2');
  for (let i = 0; i < 50 && !existsSync(file); i++) await sleep(20);
  return JSON.parse(readFileSync(file, 'utf8')) as { pg: number; redis: number };
}

async function kelisim(backend: 'redis' | 'postgres', scenario: string, n: number, spacingMs: number, leadMs: number) {
  const sink = await startSink();
  const { name, url } = await freshDatabase();
  if (backend === 'postgres') await migrateQueueSchema(url);
  const key = randomBytes(32);
  const prefix = `rbench${randomBytes(3).toString('hex')}`;
  const db = new Client({ connectionString: url });
  await db.connect();
  let worker: ChildProcess | undefined;
  try {
    const t0 = performance.now();
    const setInstant = await fill(db, n, sink.url, SecretBox.fromKey(key), spacingMs);
    line(`  fill (${n} reminders, bulk SQL)`, `${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const instant = Date.now() + leadMs;
    await setInstant(instant);
    const hour = new Date().getUTCHours();
    const countFile = `/tmp/${name}.round-trips.json`;
    worker = await startWorker({
      BENCH_COUNT_FILE: countFile,
      DATABASE_URL: url,
      REDIS_URL: backend === 'redis' ? REDIS_URL : '',
      QUEUE_PREFIX: prefix,
      MIGRATIONS_RUN: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      SECRETS_KEY: key.toString('hex'),
      DATA_DIR: `/tmp/${name}`,
      // E-mail waits (quiet hours over the run): the run measures in-app and webhooks.
      QUIET_HOURS_START: String(hour),
      QUIET_HOURS_END: String((hour + 3) % 24),
    });
    const started = Date.now();
    const readyRss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${worker.pid}/status`, 'utf8'));
    line('  worker RSS when ready', `${readyRss ? (Number(readyRss[1]) / 1024).toFixed(0) : '?'} MB`);
    line('  worker started', `${((started - instant) / 1000).toFixed(1)} s relative to the first due time`);
    // Round trips counted from the due instant (the worker has armed the timers by then, unless it is late).
    await sleep(Math.max(0, instant - Date.now() - 200));
    const before = await roundTrips(worker, countFile);
    const walBefore = await walBytes(db);
    let armedAt = 0;
    const deadline = instant + n * spacingMs + 300_000 + n * 100; // a hang guard, not a time limit: 10 reminders/s at least
    let inApp = 0;
    for (;;) {
      const [row] = (
        await db.query(
          `SELECT (SELECT count(*) FROM notifications)::int AS in_app,
                  (SELECT count(*) FROM scheduled_items WHERE status = 'pending' AND sequence = 1)::int AS unarmed`,
        )
      ).rows;
      inApp = row.in_app;
      if (!armedAt && row.unarmed === 0) armedAt = Date.now();
      if (inApp >= n && new Set(sink.hooks.map((h) => h.memorandumId)).size >= n) break;
      if (Date.now() > deadline) break;
      await sleep(200);
    }
    const after = await roundTrips(worker, countFile);
    const walAfter = await walBytes(db);
    await sleep(2000); // anything sent twice arrives now
    const rss = worker.pid ? peakRssMb(worker.pid) : NaN;
    const [c] = (
      await db.query(
        `SELECT (SELECT count(*) FROM notifications)::int AS in_app,
                (SELECT count(DISTINCT data->>'sourceId') FROM notifications)::int AS in_app_distinct,
                (SELECT extract(epoch FROM max(created_at)) * 1000 FROM notifications)::float8 AS last_in_app,
                (SELECT count(*) FROM notification_deliveries WHERE channel = 'email' AND status = 'pending')::int AS emails_waiting,
                (SELECT count(*) FROM scheduled_items WHERE sequence = 1 AND status = 'done')::int AS fired`,
      )
    ).rows;
    const hookIds = new Set(sink.hooks.map((h) => h.memorandumId));
    const lastHook = Math.max(...sink.hooks.map((h) => h.at));
    const last = Math.max(lastHook, c.last_in_app ?? 0);
    const label = `${backend} ${scenario}`;
    if (c.in_app !== n || c.in_app_distinct !== n)
      failures.push(`${label}: ${c.in_app} in-app rows for ${c.in_app_distinct} of ${n} reminders`);
    if (hookIds.size !== n || sink.hooks.length !== n)
      failures.push(`${label}: ${sink.hooks.length} webhook requests for ${hookIds.size} of ${n} reminders`);
    line(
      '  all timers armed',
      armedAt ? `${((armedAt - instant) / 1000).toFixed(1)} s relative to the first due time` : 'never',
    );
    line(
      '  delivered',
      `fired ${c.fired}, in-app ${c.in_app} (${c.in_app_distinct} distinct), webhook ${sink.hooks.length} (${hookIds.size} distinct) of ${n}; e-mails waiting (quiet hours) ${c.emails_waiting}`,
    );
    const lat = sink.hooks.map((h) => h.at - h.dueAt);
    const inAppLat = (
      await db.query(
        `SELECT extract(epoch FROM n.created_at - s.due_at) * 1000 AS ms FROM notifications n
           JOIN scheduled_items s ON s.id::text = n.data->>'sourceId'`,
      )
    ).rows.map((r) => Number(r.ms));
    line(
      '  worker round trips per reminder',
      `PostgreSQL ${((after.pg - before.pg) / n).toFixed(1)} statements (BullMQ's included on its PostgreSQL backend), Redis ${((after.redis - before.redis) / n).toFixed(1)} commands`,
    );
    line(
      '  PostgreSQL WAL per reminder',
      `${((walAfter.bytes - walBefore.bytes) / n / 1024).toFixed(2)} kB in ${((walAfter.records - walBefore.records) / n).toFixed(1)} records, ${((walAfter.fpi - walBefore.fpi) / n).toFixed(2)} full-page images (pg_stat_wal over the window, whole server: the rows and their index entries)`,
    );
    line(
      '  worker peak RSS (VmHWM)',
      `${rss.toFixed(0)} MB${WORKER_HEAP_MB ? ` (--max-old-space-size=${WORKER_HEAP_MB})` : ''}${WORKER_FLAGS.length ? ` (${WORKER_FLAGS.join(' ')})` : ''}`,
    );
    return { last, instant, lat, inAppLat, rss, fired: c.fired, bodyBytes: meanBytes(sink.hooks) };
  } finally {
    if (worker) await stopProcess(worker);
    if (backend === 'redis') await obliterate(prefix);
    await db.end();
    await sink.close();
    await dropDatabase(name);
  }
}

async function main() {
  console.log(
    `Kelisim reminders benchmark — ${new Date().toISOString()}, ${process.env.HOSTNAME ?? ''} ${require('node:os').cpus().length} cores, load ${loadavg()}`,
  );
  console.log(
    `raw BullMQ concurrency ${CONCURRENCY}; backends ${BACKENDS.join(', ')}; scenarios ${SCENARIOS.join(', ')}`,
  );
  const summary: string[] = [];
  for (const backend of BACKENDS) {
    if (SCENARIOS.includes('burst')) {
      const lead = num('BENCH_LEAD_MS', 15_000 + BURST * 0.2);
      console.log(`\n— ${backend} burst: ${BURST} reminders due at one instant (load ${loadavg()})`);
      const { name, url } = backend === 'postgres' ? await freshDatabase() : { name: '', url: '' };
      if (backend === 'postgres') await migrateQueueSchema(url);
      const raw = await rawBaseline(backend, url, BURST, 0, lead);
      if (name) await dropDatabase(name);
      const rawRate = BURST / ((raw.last - raw.instant) / 1000);
      line(
        '  raw BullMQ: jobs/s (due instant → last done)',
        `${rawRate.toFixed(0)} (${((raw.last - raw.instant) / 1000).toFixed(1)} s; jobs added until ${(raw.armedLate / 1000).toFixed(1)} s)`,
      );
      line('  raw BullMQ worker peak RSS', `${(raw.peakRssKb / 1024).toFixed(0)} MB`);
      const k = await kelisim(backend, 'burst', BURST, 0, lead);
      const rate = k.fired / ((k.last - k.instant) / 1000);
      line(
        '  Kelisim: reminders/s (due instant → last delivered)',
        `${rate.toFixed(0)} (${((k.last - k.instant) / 1000).toFixed(1)} s; 2 deliveries each: in-app + webhook)`,
      );
      line('  Kelisim / raw BullMQ', `${(rate / rawRate).toFixed(2)}×`);
      let withHook = '';
      if (RAW_WEBHOOK) {
        // The second reference: raw BullMQ whose job does a reminder's webhook and nothing else.
        const sink = await startSink();
        const { name: n2, url: u2 } = backend === 'postgres' ? await freshDatabase() : { name: '', url: '' };
        if (backend === 'postgres') await migrateQueueSchema(u2);
        const rawHook = await rawBaseline(backend, u2, BURST, 0, lead, { url: sink.url, bodyBytes: k.bodyBytes });
        await sleep(1000);
        if (n2) await dropDatabase(n2);
        const ids = new Set(sink.hooks.map((h) => h.memorandumId));
        if (ids.size !== BURST || sink.hooks.length !== BURST)
          failures.push(`raw BullMQ + webhook: ${sink.hooks.length} requests for ${ids.size} of ${BURST} jobs`);
        const bytes = meanBytes(sink.hooks);
        await sink.close();
        const hookRate = BURST / ((rawHook.last - rawHook.instant) / 1000);
        line(
          '  raw BullMQ + one signed webhook POST per job',
          `${hookRate.toFixed(0)} jobs/s (${((rawHook.last - rawHook.instant) / 1000).toFixed(1)} s; ${(hookRate / rawRate).toFixed(2)}× the no-op; body ${bytes.toFixed(0)} bytes, Kelisim's ${k.bodyBytes.toFixed(0)})`,
        );
        line('  Kelisim / raw BullMQ + webhook', `${(rate / hookRate).toFixed(2)}×`);
        withHook = `  raw+webhook ${hookRate.toFixed(0)}/s (${(rate / hookRate).toFixed(2)}×)`;
      }
      summary.push(
        `${backend.padEnd(8)} burst   ${String(BURST).padStart(6)}  raw ${rawRate.toFixed(0).padStart(5)}/s  Kelisim ${rate.toFixed(0).padStart(5)}/s  ratio ${(rate / rawRate).toFixed(2)}×${withHook}  worker RSS ${k.rss.toFixed(0)} MB  (load ${loadavg()})`,
      );
    }
    if (SCENARIOS.includes('steady')) {
      const n = RATE * SECONDS;
      const spacing = 1000 / RATE;
      const lead = num('BENCH_LEAD_MS', 15_000);
      console.log(`\n— ${backend} steady: ${RATE} reminders/s for ${SECONDS} s (load ${loadavg()})`);
      const { name, url } = backend === 'postgres' ? await freshDatabase() : { name: '', url: '' };
      if (backend === 'postgres') await migrateQueueSchema(url);
      const raw = await rawBaseline(backend, url, n, spacing, lead);
      if (name) await dropDatabase(name);
      line(
        '  raw BullMQ: start delay p50 / p99',
        `${pct(raw.lateness, 50).toFixed(0)} / ${pct(raw.lateness, 99).toFixed(0)} ms`,
      );
      const k = await kelisim(backend, 'steady', n, spacing, lead);
      line(
        '  Kelisim webhook: due → arrival p50 / p99',
        `${pct(k.lat, 50).toFixed(0)} / ${pct(k.lat, 99).toFixed(0)} ms`,
      );
      line(
        '  Kelisim in-app: due → inbox row p50 / p99',
        `${pct(k.inAppLat, 50).toFixed(0)} / ${pct(k.inAppLat, 99).toFixed(0)} ms`,
      );
      summary.push(
        `${backend.padEnd(8)} steady  ${RATE}/s×${SECONDS}s  raw p50/p99 ${pct(raw.lateness, 50).toFixed(0)}/${pct(raw.lateness, 99).toFixed(0)} ms  webhook p50/p99 ${pct(k.lat, 50).toFixed(0)}/${pct(k.lat, 99).toFixed(0)} ms  in-app ${pct(k.inAppLat, 50).toFixed(0)}/${pct(k.inAppLat, 99).toFixed(0)} ms  worker RSS ${k.rss.toFixed(0)} MB  (load ${loadavg()})`,
      );
    }
  }
  console.log('\nsummary');
  for (const s of summary) console.log(s);
  if (failures.length) {
    console.log(`\nINVARIANTS FAILED:\n- ${failures.join('\n- ')}`);
    process.exit(1);
  }
  console.log('\nevery reminder delivered exactly once (in-app and webhook)');
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
