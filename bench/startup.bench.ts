/**
 * Start-up and memory: how long `kelisim start` (API and worker in one process) takes from the
 * process's spawn to the first 200 of `GET /health/ready`, and the process's peak resident memory
 * (VmHWM) once ready and after a burst of requests.
 *
 * - embedded, first start: initdb of a private PostgreSQL in a fresh DATA_DIR, migrations, queues;
 * - embedded, restart: the same DATA_DIR (what a user sees on every later `npm start`);
 * - external PostgreSQL (BENCH_DATABASE_ADMIN_URL) and Redis (BENCH_REDIS_URL), first start and restart;
 * - the two processes of a split deployment on that database, restarts: `kelisim api` alone (to the
 *   first 200 of /health/ready) and `kelisim worker` alone (to its "ready" log line).
 * Each line also gives the CPU time (user + system) the process spent until ready, less moved by
 * other work on the machine than the wall-clock time.
 * Baseline in the same run: a bare Node.js HTTP server, spawn to first answer.
 *
 * Needs a built tree (`npm run build`). Prints figures; never fails on timing.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { cpuMsOf } from './support/api-process';

const ROOT = join(__dirname, '..');
const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUNS = Number(process.env.BENCH_RESTARTS ?? 3);

function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Peak and current resident set of a process, in MB (Linux /proc). */
function memory(pid: number): { peakMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/** Until the URL answers 200, or (worker) until the process logs that it is ready. */
async function waitReady(
  url: string | RegExp,
  child: ChildProcess,
  started: number,
  timeoutMs = 120_000,
): Promise<number> {
  let output = '';
  let logged = false;
  const onData = (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
    if (url instanceof RegExp && url.test(output)) logged = true;
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${output}`);
    if (logged) return Date.now() - started;
    if (typeof url === 'string') {
      try {
        const res = await fetch(url);
        if (res.status === 200) return Date.now() - started;
      } catch {
        // not listening yet
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not ready after ${timeoutMs} ms: ${output}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

interface Start {
  readyMs: number;
  cpuMs: number;
  peakMb: number;
  afterLoadPeakMb?: number;
}

async function startOnce(env: Record<string, string>, command: 'start' | 'api' | 'worker' = 'start'): Promise<Start> {
  const port = await sparePort();
  const started = Date.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'kelisim.js'), command], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const readyMs = await waitReady(
      command === 'worker' ? /worker ready in/ : `http://127.0.0.1:${port}/health/ready`,
      child,
      started,
    );
    const used = cpuMsOf(child.pid!);
    const { peakMb } = memory(child.pid!);
    if (command === 'worker') return { readyMs, cpuMs: used, peakMb };
    // A burst of cheap requests (health and the OpenAPI document) to see the resident set under traffic.
    for (let i = 0; i < 20; i++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          fetch(`http://127.0.0.1:${port}/${j % 2 ? 'health/ready' : 'docs/json'}`).then((r) => r.arrayBuffer()),
        ),
      );
    }
    return { readyMs, cpuMs: used, peakMb, afterLoadPeakMb: memory(child.pid!).peakMb };
  } finally {
    await stop(child);
  }
}

async function bareNode(): Promise<number> {
  const port = await sparePort();
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    return await waitReady(`http://127.0.0.1:${port}/`, child, started);
  } finally {
    await stop(child);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (s: Start[]) =>
  `${median(s.map((x) => x.readyMs))} ms to ready (median of ${s.length}; ${s.map((x) => x.readyMs).join(', ')}), ` +
  `CPU ${median(s.map((x) => x.cpuMs))} ms, ` +
  `peak RSS ${Math.max(...s.map((x) => x.peakMb)).toFixed(0)} MB ready` +
  (s[0].afterLoadPeakMb === undefined
    ? ''
    : `, ${Math.max(...s.map((x) => x.afterLoadPeakMb ?? 0)).toFixed(0)} MB after 200 requests`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kelisim-startup-'));
  const dbName = `kelisim_startup_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const loadBefore = load();
    const baseline = await bareNode();
    const embedded = { DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' };
    const first = await startOnce(embedded);
    const restarts: Start[] = [];
    for (let i = 0; i < RUNS; i++) restarts.push(await startOnce(embedded));

    await admin.query(`CREATE DATABASE "${dbName}"`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    const external = {
      DATA_DIR: dataDir,
      DATABASE_URL: url.toString(),
      REDIS_URL,
      QUEUE_PREFIX: dbName,
    };
    const externalFirst = await startOnce(external);
    const externalRestarts: Start[] = [];
    for (let i = 0; i < RUNS; i++) externalRestarts.push(await startOnce(external));
    const apiOnly: Start[] = [];
    for (let i = 0; i < RUNS; i++) apiOnly.push(await startOnce(external, 'api'));
    const workerOnly: Start[] = [];
    for (let i = 0; i < RUNS; i++) workerOnly.push(await startOnce(external, 'worker'));

    console.log(
      `Kelisim start-up benchmark — \`kelisim start\` (API + worker in one process), Node ${process.version}`,
    );
    console.log(`load average (1 / 5 / 15 min): ${loadBefore} at the start, ${load()} at the end`);
    console.log(`baseline: bare Node.js HTTP server    ${baseline} ms to first answer`);
    console.log(`embedded PostgreSQL, first start       ${fmt([first])}`);
    console.log(`embedded PostgreSQL, restart           ${fmt(restarts)}`);
    console.log(`external PostgreSQL + Redis, first     ${fmt([externalFirst])}`);
    console.log(`external PostgreSQL + Redis, restart   ${fmt(externalRestarts)}`);
    console.log(`kelisim api alone (external), restart  ${fmt(apiOnly)}`);
    console.log(`kelisim worker alone (external), restart ${fmt(workerOnly)}`);
    console.log('(peak RSS is the Node.js process; the embedded PostgreSQL server runs as its own processes)');
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
