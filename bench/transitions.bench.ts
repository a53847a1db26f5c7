/**
 * How many lifecycle transitions per second Kelisim sustains through its HTTP API, against the
 * cost of the bare SQL a transition needs, measured with pgbench in the same run on the same server.
 *
 *   npm run build && npm run bench:transitions
 *   (env: BENCH_MEMORANDA=200 BENCH_CLIENTS=1,8,32 BENCH_SECONDS=10 BENCH_WARMUP_MEMORANDA=100
 *   BENCH_PROFILE=1)
 *
 * The API runs as users run it: `kelisim api` from dist/, its own process (bench/support/api-process.ts),
 * with a preload that counts its SQL statements. The load comes from this process with autocannon.
 * For each client count C: BENCH_MEMORANDA memoranda with 5 signatory parties each are drafted and
 * submitted through the API, then every party approves through `POST /memoranda/{id}/approvals`,
 * C requests in flight (each approval is one transaction: row lock, approval row, conditional
 * version bump, hash-chained history event, outbox event; the fifth also moves the memorandum to
 * `approved`). Before the first measured run, BENCH_WARMUP_MEMORANDA more are approved the same way
 * at 8 clients, not measured (a warm server, as users run it). Then a run at half the peak rate (8 clients) for the latency under moderate load.
 * Printed per run: transitions/s, p50/p99, SQL round trips and server CPU per transition; and the
 * API's peak resident memory (VmHWM, summed over its processes with API_PROCESSES > 1).
 * Baseline: pgbench running the same shape of transaction in plain SQL (BEGIN, lock a row, update
 * it, insert two rows, COMMIT) with C clients, for BENCH_SECONDS, in the same run; the ratio.
 * References in the same run, loaded by the same autocannon: pgbench's transaction through a bare
 * node:http + pg server and through the smallest NestJS app (bench/support/*-transition-server.js),
 * and GET /health through each of them and through the API: where the gap to pgbench lies.
 * BENCH_PROFILE=1: a V8 CPU profile of the API during the 8-client approvals (inspector, started and
 * stopped over IPC), summarised by package and by function.
 */
import 'reflect-metadata';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { hashPassword } from '@kelisim/identity';
import { dataSourceOptions } from '@kelisim/platform';
import { MIGRATIONS } from '../migrations';
import { cpuMsOf, startApi } from './support/api-process';
import { load, LoadRequest, pct } from './support/load';
import { summariseProfile } from './support/profile';

const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const M = Number(process.env.BENCH_MEMORANDA ?? 200);
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,8,32').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3931);
const PROFILE = process.env.BENCH_PROFILE === '1';
/** Memoranda approved (5 approvals each, 8 clients) before the measured runs, to warm the API up. */
const WARMUP_MEMORANDA = Number(process.env.BENCH_WARMUP_MEMORANDA ?? 100);
const PARTIES = 5;
const PASSWORD = 'bench-password-Тараз';

function dbUrl(name: string) {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function sql(url: string, text: string, params: unknown[] = []) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** Runs `work` over `items` with at most `limit` in flight (setup only; not measured). */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

function pgbench(url: string, script: string, clients: number): number {
  const bin = ['pgbench', '/usr/lib/postgresql/15/bin/pgbench'].find((b) => {
    try {
      execFileSync(b, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (!bin) throw new Error('pgbench not found (PATH or /usr/lib/postgresql/15/bin)');
  const out = execFileSync(
    bin,
    ['-n', '-f', script, '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(SECONDS), url],
    { encoding: 'utf8' },
  );
  return Number(/tps = ([\d.]+)/.exec(out)?.[1]);
}

interface ReferenceRun {
  clients: number;
  n: number;
  tps: number;
  p50: number;
  p99: number;
  cpuMs: number;
  bad: number;
}

/**
 * A reference server in its own process — bench/support/bare-transition-server.js (node:http + pg)
 * or bench/support/nest-transition-server.js (the smallest NestJS app doing the same), each running
 * pgbench's transaction as prepared statements for every POST — loaded by autocannon like the API,
 * per client count; then its GET /health at 8 clients, the floor of its HTTP stack.
 */
async function referenceServer(
  file: string,
  url: string,
  clients: number[],
): Promise<{ runs: ReferenceRun[]; health: { tps: number; cpuMs: number; bad: number } }> {
  const port = PORT + 1;
  const child = spawn(process.execPath, [join(__dirname, 'support', file), url, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const list = (n: number): LoadRequest[] =>
      Array.from({ length: n }, () => ({ method: 'POST', path: '/', token: '', body: { decision: 'approve' } }));
    await load(base, list(500), 8);
    const runs: ReferenceRun[] = [];
    for (const c of new Set([...clients, 8])) {
      const c0 = cpuMsOf(child.pid!);
      const r = await load(base, list(c === 1 ? 2000 : 8000), c);
      runs.push({
        clients: c,
        n: r.requests,
        tps: r.perSecond,
        p50: pct(r.latencies, 50),
        p99: pct(r.latencies, 99),
        cpuMs: (cpuMsOf(child.pid!) - c0) / r.requests,
        bad: r.non2xx + r.errors,
      });
    }
    const health = await healthFloor(base, () => cpuMsOf(child.pid!));
    return { runs, health };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** GET /health, 5,000 requests at 8 clients after 500 to warm up: rate and CPU per request. */
async function healthFloor(base: string, cpuMs: () => number) {
  const list: LoadRequest[] = Array.from({ length: 5000 }, () => ({ method: 'GET', path: '/health', token: '' }));
  await load(base, list.slice(0, 500), 8);
  const c0 = cpuMs();
  const run = await load(base, list, 8);
  return { tps: run.perSecond, cpuMs: (cpuMs() - c0) / run.requests, bad: run.non2xx + run.errors };
}

async function main() {
  const name = `kelisim_bench_${Date.now().toString(36)}`;
  await sql(ADMIN_URL, `CREATE DATABASE "${name}"`);
  const url = dbUrl(name);
  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'kelisim-prof-')) : undefined;
  const load0 = loadavg();
  try {
    const ds = new DataSource(dataSourceOptions(url, [], MIGRATIONS));
    await ds.initialize();
    await ds.runMigrations();
    await ds.destroy();
    const hash = await hashPassword(PASSWORD);
    const [coordOrg] = await sql(
      url,
      `INSERT INTO organisations (name, short_name, kind, language) VALUES ('Қоғамдық келісім', 'ҚК', 'public_institution', 'kk') RETURNING id`,
    );
    await sql(
      url,
      `INSERT INTO users (full_name, email, password_hash, organisation_id, roles, language)
       VALUES ('Парида Мамедова', 'coord@bench.kz', $1, $2, '{coordinator}', 'ru')`,
      [hash, coordOrg.id],
    );
    const partyOrgs: string[] = [];
    for (let i = 0; i < PARTIES; i++) {
      const [org] = await sql(
        url,
        `INSERT INTO organisations (name, short_name, kind, language) VALUES ($1, $1, 'youth_organisation', 'kk') RETURNING id`,
        [`Тарап ${i + 1}`],
      );
      partyOrgs.push(org.id);
      await sql(
        url,
        `INSERT INTO users (full_name, email, password_hash, organisation_id, roles, language)
         VALUES ($1, $2, $3, $4, '{party_representative,signatory}', 'kk')`,
        [`Өкіл ${i + 1}`, `rep${i}@bench.kz`, hash, org.id],
      );
    }

    const api = await startApi({ databaseUrl: url, port: PORT });
    const apiReadyMb = api.peakRssMb().total;
    const call = async (method: string, path: string, token: string | null, body?: unknown) => {
      const res = await fetch(api.base + path, {
        method,
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const login = async (email: string) =>
      (await call('POST', '/auth/login', null, { email, password: PASSWORD })).token as string;
    const coord = await login('coord@bench.kz');
    const reps: string[] = [];
    for (let i = 0; i < PARTIES; i++) reps.push(await login(`rep${i}@bench.kz`));

    /** M memoranda drafted and submitted through the API, and the approvals of all of them, party-major. */
    const prepare = async (count: number): Promise<LoadRequest[]> => {
      const memoranda: Array<{ id: string; hash: string }> = [];
      await pool(
        Array.from({ length: count }, (_, i) => i),
        8,
        async (i) => {
          const m = await call('POST', '/memoranda', coord, {
            title: `Меморандум ${i}`,
            purpose: 'Жастар арасындағы ынтымақтастық',
            body: 'Мәтін. '.repeat(200),
            language: 'kk',
            coordinatingOrganisationId: coordOrg.id,
            effectiveDate: '2030-01-01',
            endDate: '2033-01-01',
          });
          for (const org of partyOrgs)
            await call('POST', `/memoranda/${m.id}/parties`, coord, { organisationId: org, role: 'signatory' });
          await call('POST', `/memoranda/${m.id}/submit`, coord, {});
          const full = await call('GET', `/memoranda/${m.id}`, coord);
          memoranda.push({ id: m.id, hash: full.currentRevision.hash });
        },
      );
      // Party-major order: requests in flight are for different memoranda, as in real use (the
      // same-memorandum race is what test/memoranda-concurrency.e2e-spec.ts covers).
      return reps.flatMap((token) =>
        memoranda.map((m) => ({
          method: 'POST' as const,
          path: `/memoranda/${m.id}/approvals`,
          token,
          body: { decision: 'approve', revisionHash: m.hash },
        })),
      );
    };

    const runs: Array<{
      label: string;
      clients: number;
      tps: number;
      p50: number;
      p99: number;
      roundTrips: number;
      cpuMs: number;
      n: number;
      bad: number;
    }> = [];
    const profileFile = profileDir ? join(profileDir, 'approvals-8-clients.cpuprofile') : undefined;
    const measure = async (label: string, clients: number, list: LoadRequest[], rate?: number) => {
      const stopProfile = profileFile && clients === 8 && !rate ? await api.profile() : undefined;
      const s0 = await api.statements();
      const c0 = api.cpuMs();
      const r = await load(api.base, list, clients, rate);
      const c1 = api.cpuMs();
      const s1 = await api.statements();
      if (stopProfile) await stopProfile(profileFile!);
      runs.push({
        label,
        clients,
        tps: r.perSecond,
        p50: pct(r.latencies, 50),
        p99: pct(r.latencies, 99),
        roundTrips: (s1 - s0) / r.requests,
        cpuMs: (c1 - c0) / r.requests,
        n: r.requests,
        bad: r.non2xx + r.errors,
      });
    };

    const setupStart = performance.now();
    const lists = new Map<number, LoadRequest[]>();
    for (const c of CLIENTS) lists.set(c, await prepare(c === 1 ? Math.max(20, Math.round(M / 4)) : M));
    const halfList = await prepare(M);
    // Warm-up, not measured: V8 optimises the approval path after some hundreds of requests, and a
    // server that users run is warm; the reference servers get as many requests before theirs.
    const warmList = await prepare(WARMUP_MEMORANDA);
    const setupSeconds = (performance.now() - setupStart) / 1000;
    const warm = await load(api.base, warmList, 8);
    for (const c of CLIENTS) await measure('approvals', c, lists.get(c)!);
    const peak = Math.max(...runs.map((r) => r.tps));
    const halfRate = Math.max(1, Math.floor(peak / 2));
    await measure(`approvals at ${halfRate}/s`, 8, halfList, halfRate);

    const [{ n: approved }] = await sql(url, `SELECT count(*)::int AS n FROM memoranda WHERE status = 'approved'`);
    const [{ n: memoranda }] = await sql(url, `SELECT count(*)::int AS n FROM memoranda`);
    const [{ n: broken }] = await sql(
      url,
      `SELECT count(*)::int AS n FROM memoranda m JOIN history_heads h ON h.memorandum_id = m.id WHERE h.last_seq <> m.version`,
    );
    // The HTTP stack's own floor: GET /health (no SQL, no authentication) through the same process.
    const health = await healthFloor(api.base, () => api.cpuMs());
    const apiPeak = api.peakRssMb();
    await api.stop();

    // Baseline: the bare SQL shape of a transition, with pgbench.
    const dir = mkdtempSync(join(tmpdir(), 'kelisim-bench-'));
    const script = join(dir, 'transition.sql');
    writeFileSync(
      script,
      [
        '\\set id random(1, 1000)',
        'BEGIN;',
        'SELECT version FROM bench_rows WHERE id = :id FOR UPDATE;',
        'UPDATE bench_rows SET version = version + 1 WHERE id = :id;',
        "INSERT INTO bench_history (row_id, payload) VALUES (:id, repeat('x', 300));",
        'INSERT INTO bench_outbox (row_id, payload) VALUES (:id, \'{"memorandumId": 1}\');',
        'COMMIT;',
      ].join('\n'),
    );
    await sql(
      url,
      `CREATE TABLE bench_rows (id int PRIMARY KEY, version int NOT NULL DEFAULT 1);
       INSERT INTO bench_rows SELECT g FROM generate_series(1, 1000) g;
       CREATE TABLE bench_history (id bigserial PRIMARY KEY, row_id int, payload text, at timestamptz DEFAULT now());
       CREATE TABLE bench_outbox (id bigserial PRIMARY KEY, row_id int, payload jsonb, at timestamptz DEFAULT now());`,
    );
    const baseline = new Map<number, number>();
    for (const c of new Set([...CLIENTS, 8])) baseline.set(c, pgbench(url, script, c));
    const bare = await referenceServer('bare-transition-server.js', url, CLIENTS);
    const nest = await referenceServer('nest-transition-server.js', url, CLIENTS);
    const load1 = loadavg();

    const line = (k: string, v: string) => console.log(`${k.padEnd(36)} ${v}`);
    console.log(
      `\nKelisim transitions benchmark — ${PARTIES} signatory parties per memorandum; API: kelisim api (separate process${Number(process.env.API_PROCESSES ?? 1) > 1 ? `, API_PROCESSES=${process.env.API_PROCESSES}` : ''}); load: autocannon; ${cpus().length} cores; PostgreSQL at ${new URL(ADMIN_URL).host}`,
    );
    line('load average (1 min) before / after', `${load0[0].toFixed(2)} / ${load1[0].toFixed(2)}`);
    line('setup through the API', `${memoranda} memoranda (create, 5 parties, submit) in ${setupSeconds.toFixed(1)} s`);
    console.log(
      `${'run'.padEnd(26)}${'clients'.padStart(8)}${'n'.padStart(6)}${'trans/s'.padStart(9)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'SQL/trans'.padStart(10)}${'CPU ms/trans'.padStart(13)}${'pgbench tps'.padStart(12)}${'ratio'.padStart(7)}`,
    );
    for (const r of runs) {
      const b = baseline.get(r.clients)!;
      console.log(
        `${r.label.padEnd(26)}${String(r.clients).padStart(8)}${String(r.n).padStart(6)}${r.tps.toFixed(0).padStart(9)}${r.p50.toFixed(1).padStart(8)}${r.p99.toFixed(1).padStart(8)}${r.roundTrips.toFixed(2).padStart(10)}${r.cpuMs.toFixed(2).padStart(13)}${b.toFixed(0).padStart(12)}${(r.tps / b).toFixed(3).padStart(7)}`,
      );
    }
    const reference = (label: string, b: ReferenceRun) =>
      console.log(
        `${label.padEnd(26)}${String(b.clients).padStart(8)}${String(b.n).padStart(6)}${b.tps.toFixed(0).padStart(9)}${b.p50.toFixed(1).padStart(8)}${b.p99.toFixed(1).padStart(8)}${'6.00'.padStart(10)}${b.cpuMs.toFixed(2).padStart(13)}${baseline.get(b.clients)!.toFixed(0).padStart(12)}${(b.tps / baseline.get(b.clients)!).toFixed(3).padStart(7)}`,
      );
    console.log('the same transaction as pgbench through two reference servers, same load generator:');
    for (const b of bare.runs) reference('  node:http + pg', b);
    for (const b of nest.runs) reference('  NestJS + pg', b);
    const floor = (label: string, h: { tps: number; cpuMs: number }) =>
      line(label, `${h.tps.toFixed(0)} req/s, ${h.cpuMs.toFixed(2)} ms of CPU per request`);
    console.log('GET /health at 8 clients (no SQL, no authentication): the floor of each HTTP stack');
    floor('  node:http', bare.health);
    floor('  NestJS on Express, nothing added', nest.health);
    floor('  Kelisim API', health);
    line('memoranda approved', `${approved} of ${memoranda}; history heads out of step with versions: ${broken}`);
    line(
      'API peak RSS (VmHWM)',
      `${apiReadyMb.toFixed(0)} MB when ready, ${apiPeak.total.toFixed(0)} MB at the peak${apiPeak.each.length > 1 ? ` (${apiPeak.each.map((m) => m.toFixed(0)).join(' + ')} MB, one per process)` : ''}`,
    );
    const failed =
      [...runs, ...bare.runs, ...nest.runs, bare.health, nest.health, health].reduce((s, r) => s + r.bad, 0) +
      warm.non2xx +
      warm.errors;
    line('non-2xx answers or errors', String(failed));
    if (profileFile && existsSync(profileFile)) console.log(summariseProfile(profileFile));
    if (approved !== memoranda || broken !== 0 || failed !== 0) process.exitCode = 1;
  } finally {
    await sql(ADMIN_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
