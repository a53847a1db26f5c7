/**
 * Follow-up at scale (bench/README.md, docs/performance.md): fills a fresh database by bulk SQL
 * (bench/follow-up-fill.ts) with BENCH_ORGS organisations, BENCH_MEMORANDA active memoranda (3
 * parties each), BENCH_COMMITMENTS_PER commitments per memorandum with BENCH_OCCURRENCES_PER dated
 * occurrences each, and one memorandum of 100,000 occurrences; then starts `kelisim api` as a
 * separate process on it and measures through HTTP from this (load) process, one request at a
 * time: every dashboard endpoint for a party representative, a supervisor scoped to 10
 * organisations and an admin; the organisation calendar feed; the CSV and XLSX export of the
 * 100,000 rows with the API process's resident memory sampled during each. Then prints the plan
 * (`EXPLAIN (ANALYZE, BUFFERS)`) of every SQL statement the real dashboard and feed services issue
 * for those readers (captured from the services' own DataSource calls).
 * Needs `npm run build` first (the API runs from dist/). Exit 1 only when an answer is wrong.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Actor, hashPassword, Language, Role } from '@kelisim/identity';
import { ConfigService } from '@nestjs/config';
import { Clock, dataSourceOptions, Environment } from '@kelisim/platform';
import { DashboardQuery, DashboardService, ExportsService } from '@kelisim/commitments';
import { MIGRATIONS } from '../migrations';
import { fill, LARGE_TITLE, MEDIUM_TITLE } from './follow-up-fill';

const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ORGS = Number(process.env.BENCH_ORGS ?? 2000);
const MEMORANDA = Number(process.env.BENCH_MEMORANDA ?? 100_000);
const PER = Number(process.env.BENCH_COMMITMENTS_PER ?? 10);
const OCC = Number(process.env.BENCH_OCCURRENCES_PER ?? 2);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40);
const PORT = Number(process.env.BENCH_PORT ?? 3917);
const PLANS = process.env.BENCH_PLANS !== '0';
/** Reuse a database filled by an earlier run (kept with BENCH_KEEP=1): pending migrations only, no fill. */
const REUSE = process.env.BENCH_DATABASE;
const KEEP = process.env.BENCH_KEEP === '1' || !!REUSE;
const PASSWORD = 'bench-password-Тараз';
const LARGE_ROWS = 100_000;
const MEDIUM_ROWS = 10_000;
/** What to measure: `dashboards`, `feed`, `exports` (all by default); e.g. BENCH_ONLY=feed,exports. */
const ONLY = new Set((process.env.BENCH_ONLY ?? 'dashboards,feed,exports').split(',').map((x) => x.trim()));
/** The exports again on an API started with this V8 old-space limit (MB); 0 skips. */
const EXPORT_HEAP_MB = Number(process.env.BENCH_EXPORT_HEAP_MB ?? 96);

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
const label = (s: string) => s.padEnd(36) + (s.length >= 36 ? ' ' : '');

/** VmRSS and VmHWM (kB) of a process. */
function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

let failures = 0;
function check(ok: boolean, what: string) {
  if (!ok) {
    failures++;
    console.error(`WRONG: ${what}`);
  }
}

async function main() {
  const name = REUSE ?? `kelisim_fubench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  if (!REUSE) await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  let server: ReturnType<typeof spawn> | undefined;
  const lines = { push: (line: string) => process.stdout.write(line + '\n') };
  try {
    const { ALL_ENTITIES } = await import('../migrations/data-source');
    const ds = new DataSource(dataSourceOptions(url, ALL_ENTITIES, MIGRATIONS));
    await ds.initialize();
    await ds.runMigrations();
    const db = new Client({ connectionString: url });
    await db.connect();
    const t0 = performance.now();
    if (!REUSE) await fill(db, ORGS, MEMORANDA, PER, OCC);
    const fillSeconds = (performance.now() - t0) / 1000;
    const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);
    const commitments = await count('SELECT count(*) AS n FROM commitments');
    const occurrences = await count('SELECT count(*) AS n FROM commitment_occurrences');
    const memorandaCount = await count('SELECT count(*) AS n FROM memoranda');

    const hash = await hashPassword(PASSWORD);
    const orgIds = (
      await db.query(`SELECT id FROM organisations WHERE name LIKE 'Ұйым %' ORDER BY id LIMIT 10`)
    ).rows.map((r) => r.id as string);
    await db.query(`DELETE FROM users WHERE email LIKE '%@b.kz'`);
    await db.query(
      `INSERT INTO users (full_name, email, password_hash, organisation_id, roles, language) VALUES
        ('Admin', 'admin@b.kz', $1, $2, '{admin}', 'ru'),
        ('Rep', 'rep@b.kz', $1, $2, '{party_representative}', 'ru'),
        ('Sup', 'sup@b.kz', $1, $2, '{supervisor}', 'ru'),
        ('Big', 'big@b.kz', $1, (SELECT coordinating_organisation_id FROM memoranda WHERE title = $3), '{party_representative}', 'ru')`,
      [hash, orgIds[0], LARGE_TITLE],
    );
    await db.query(
      `INSERT INTO supervision_scopes (supervisor_user_id, organisation_id, created_at)
       SELECT u.id, o, now() FROM users u, unnest($1::uuid[]) o WHERE u.email = 'sup@b.kz'`,
      [orgIds],
    );
    const users = Object.fromEntries(
      (await db.query(`SELECT id, email FROM users WHERE email LIKE '%@b.kz'`)).rows.map((r) => [r.email, r.id]),
    );

    const base = `http://127.0.0.1:${PORT}`;
    /** `kelisim api` from dist/ as its own process on the filled database; resolves when it answers /health. */
    const startApi = async (nodeOptions = '') => {
      // BENCH_API_FLAGS: node options for the API's command line, e.g. `--heap-growing-percent=0`.
      const flags = (process.env.BENCH_API_FLAGS ?? '').split(/\s+/).filter(Boolean);
      server = spawn(process.execPath, [...flags, join(__dirname, '..', 'bin', 'kelisim.js'), 'api'], {
        env: {
          ...process.env,
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${nodeOptions}`.trim(),
          DATABASE_URL: url,
          REDIS_URL: '',
          PORT: String(PORT),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          MIGRATIONS_RUN: 'false',
          LOGIN_RATE_LIMIT: '1000000',
          DATA_DIR: `/tmp/${name}`,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      for (let i = 0; i < 120; i++) {
        const ok = await fetch(`${base}/health`)
          .then((r) => r.ok)
          .catch(() => false);
        if (ok) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      return server.pid!;
    };
    const stopApi = async () => {
      const exited = new Promise((r) => server!.once('exit', r));
      server!.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    };
    let pid = await startApi();
    // The API's peak RSS over the whole run with Node's default heap sizing (the exports reset
    // VmHWM to measure each one, so the peak is read before each reset and at the end).
    const readyKb = memory(pid).rss;
    let runPeakKb = readyKb;
    const notePeak = () => {
      try {
        runPeakKb = Math.max(runPeakKb, memory(pid).hwm);
      } catch {
        /* the process has gone: its last reading stands */
      }
    };
    let peakReported = false;
    const reportPeak = () => {
      if (peakReported) return;
      peakReported = true;
      notePeak();
      lines.push(
        `${label('API peak RSS (VmHWM), whole run')}${mb(runPeakKb)} (${mb(readyKb)} when ready; default heap sizing)`,
      );
    };
    const login = async (email: string) => {
      const r = await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      return ((await r.json()) as { token: string }).token;
    };
    const readers = {
      rep: await login('rep@b.kz'),
      supervisor10: await login('sup@b.kz'),
      admin: await login('admin@b.kz'),
    };
    const [anyMemorandum] = (
      await db.query(
        `SELECT id FROM memoranda WHERE coordinating_organisation_id = $1 AND title <> $2 ORDER BY id LIMIT 1`,
        [orgIds[0], LARGE_TITLE],
      )
    ).rows;
    const [large] = (await db.query(`SELECT id FROM memoranda WHERE title = $1`, [LARGE_TITLE])).rows;
    const [medium] = (await db.query(`SELECT id FROM memoranda WHERE title = $1`, [MEDIUM_TITLE])).rows;
    const feed = await fetch(`${base}/me/feed-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${readers.rep}` },
      body: JSON.stringify({ name: 'bench' }),
    }).then((r) => r.json() as Promise<{ token: string }>);

    const get = async (path: string, token?: string) => {
      const s = performance.now();
      const r = await fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      const body = Buffer.from(await r.arrayBuffer());
      return { ms: performance.now() - s, status: r.status, body };
    };
    /** p50/p95 of `requests` (REQUESTS) sequential requests after one warm-up request (not counted). */
    const measure = async (what: string, path: string, token?: string, requests = REQUESTS) => {
      const first = await get(path, token);
      const times: number[] = [];
      let status = first.status;
      for (let i = 0; i < requests; i++) {
        const r = await get(path, token);
        status = r.status;
        times.push(r.ms);
      }
      check(status === 200, `${what} answered ${status}`);
      lines.push(`${label(what)}p50 ${pct(times, 50).toFixed(1)} ms  p95 ${pct(times, 95).toFixed(1)} ms  [${status}]`);
      return first;
    };

    lines.push(
      `Kelisim follow-up benchmark — ${ORGS} organisations, ${memorandaCount} memoranda, ${commitments} commitments, ${occurrences} occurrences`,
    );
    lines.push(
      REUSE
        ? `fill by bulk SQL                    (reused database ${name})`
        : `fill by bulk SQL                    ${fillSeconds.toFixed(1)} s (indexes, keys, counters, VACUUM ANALYZE included)`,
    );
    lines.push(
      `load average at start               ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
    await measure('baseline: GET /health', '/health');
    if (ONLY.has('dashboards')) {
      const endpoints: Array<[string, string]> = [
        ['overview', '/dashboard/overview?withinDays=30'],
        ['commitments', '/dashboard/commitments?pageSize=50'],
        ['scorecard', `/dashboard/organisations/${orgIds[0]}`],
        ['timeline', `/dashboard/memoranda/${anyMemorandum.id}/timeline?pageSize=50`],
      ];
      for (const [who, token] of Object.entries(readers)) {
        for (const [what, path] of endpoints) {
          if (what === 'scorecard' && who === 'supervisor10') continue;
          const first = await measure(`${what} (${who})`, path, token);
          if (what === 'overview' && who === 'admin') {
            const overdue = await count(`SELECT count(*) AS n FROM commitment_occurrences WHERE status = 'overdue'`);
            const answer = JSON.parse(first.body.toString()) as { commitments: { overdue: number } };
            check(
              answer.commitments.overdue === overdue,
              `admin overview overdue ${answer.commitments.overdue} ≠ ${overdue}`,
            );
          }
          if (what === 'commitments') {
            const answer = JSON.parse(first.body.toString()) as { items: { status: string }[]; total: number };
            check(answer.items.length === 50 && answer.total > 0, `${who} list: ${answer.items.length} items`);
          }
        }
      }
    }
    const events = (ics: { body: Buffer }) => (ics.body.toString().match(/BEGIN:VEVENT/g) ?? []).length;
    /** The events a feed must hold: the organisation's dates in the window, in memoranda it is part of (the readers here see those). */
    const expectedEvents = (org: string) =>
      count(`SELECT least(count(*), 20000) AS n FROM commitment_occurrences o
               JOIN commitments c ON c.id = o.commitment_id JOIN memoranda m ON m.id = o.memorandum_id
              WHERE (c.lead_organisation_id = '${org}' OR c.organisation_ids @> ARRAY['${org}']::uuid[])
                AND o.date BETWEEN (now() AT TIME ZONE 'Asia/Almaty')::date - 365 AND (now() AT TIME ZONE 'Asia/Almaty')::date + 730
                AND m.status IN ('executed', 'active')
                AND o.memorandum_id IN (SELECT memorandum_id FROM memorandum_organisations WHERE organisation_id = '${org}')`);
    const checkFeed = async (what: string, ics: { body: Buffer }, org: string) => {
      const text = ics.body.toString();
      const expected = await expectedEvents(org);
      check(
        text.startsWith('BEGIN:VCALENDAR\r\n') && text.endsWith('\r\nEND:VCALENDAR'),
        `${what}: not a whole calendar`,
      );
      check(events(ics) === expected, `${what}: ${events(ics)} events, not ${expected}`);
      lines.push(`${label('  (events in the feed)')}${events(ics)} (${(ics.body.length / 1e6).toFixed(1)} MB)`);
    };
    if (ONLY.has('feed')) {
      const ics = await measure(
        'organisation calendar feed',
        `/organisations/${orgIds[0]}/calendar.ics?token=${feed.token}`,
        undefined,
        Math.min(REQUESTS, 10),
      );
      await checkFeed('organisation calendar feed', ics, orgIds[0]);
      // Conditional GET: the weak ETag of the events, 304 when unchanged. (Cache-Control given: with
      // If-None-Match alone, fetch adds `Cache-Control: no-cache`, which asks for the whole answer.)
      const path = `${base}/organisations/${orgIds[0]}/calendar.ics?token=${feed.token}`;
      const first = await fetch(path);
      await first.arrayBuffer();
      const etag = first.headers.get('etag') ?? '';
      const again = await fetch(path, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });
      check(/^W\/"/.test(etag) && again.status === 304, `feed: ETag ${etag}, If-None-Match answered ${again.status}`);
      lines.push(`${label('  (If-None-Match: its ETag)')}${again.status}`);
    }

    // The outlier: the representative of the coordinator of the 100,000-occurrence memorandum.
    const big = await login('big@b.kz');
    const [{ organisation_id: bigOrg }] = (await db.query(`SELECT organisation_id FROM users WHERE email = 'big@b.kz'`))
      .rows;
    if (ONLY.has('dashboards')) {
      await measure('overview (rep of the large one)', '/dashboard/overview?withinDays=30', big);
      await measure('commitments (rep of the large one)', '/dashboard/commitments?pageSize=50', big);
    }
    if (ONLY.has('feed')) {
      const bigFeed = await fetch(`${base}/me/feed-tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${big}` },
        body: JSON.stringify({ name: 'bench' }),
      }).then((r) => r.json() as Promise<{ token: string }>);
      const bigIcs = await measure(
        "feed of the large one's coordinator",
        `/organisations/${bigOrg}/calendar.ics?token=${bigFeed.token}`,
        undefined,
        Math.min(REQUESTS, 10),
      );
      await checkFeed("feed of the large one's coordinator", bigIcs, bigOrg);
    }

    // The exports, streamed, of 10,000 and of 100,000 rows: the API process's RSS before, sampled
    // every 10 ms during, and its peak (VmHWM, reset first). Flat memory: the same growth for both.
    const exportOnce = async (kind: string, memorandumId: string, rows: number, note = '') => {
      notePeak();
      writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
      const before = memory(pid);
      let sampled = before.rss;
      const sampler = setInterval(() => {
        try {
          sampled = Math.max(sampled, memory(pid).rss);
        } catch {
          /* the process has gone: reported below */
        }
      }, 10);
      const s = performance.now();
      let status = 0;
      let bytes = 0;
      let newlines = 0;
      try {
        const r = await fetch(`${base}/memoranda/${memorandumId}/commitments.${kind}`, {
          headers: { authorization: `Bearer ${readers.admin}` },
        });
        status = r.status;
        const reader = r.body!.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          bytes += value.byteLength;
          if (kind === 'csv') for (const b of value) if (b === 10) newlines++;
        }
      } catch (e) {
        check(false, `${kind} export of ${rows} rows${note} failed: ${(e as Error).message}`);
      }
      const ms = performance.now() - s;
      clearInterval(sampler);
      const alive = server!.exitCode === null && server!.signalCode === null;
      check(alive, `the API${note} exited during the ${kind} export (${server!.exitCode ?? server!.signalCode})`);
      const peak = alive ? Math.max(memory(pid).hwm, sampled) : sampled;
      runPeakKb = Math.max(runPeakKb, peak); // VmRSS sampled may pass VmHWM, which the kernel updates lazily
      check(status === 200, `${kind} export${note} answered ${status}`);
      if (kind === 'csv') check(newlines === rows + 1, `CSV export${note} has ${newlines - 1} rows, not ${rows}`);
      lines.push(
        `${label(`${kind.toUpperCase()} export, ${rows} rows${note}`)}${ms.toFixed(0)} ms, ${(bytes / 1e6).toFixed(1)} MB [${status}]; API RSS before ${mb(before.rss)}, peak ${mb(peak)} (+${mb(peak - before.rss)})`,
      );
    };
    if (ONLY.has('exports')) {
      for (const kind of ['csv', 'xlsx']) {
        await exportOnce(kind, medium.id, MEDIUM_ROWS);
        await exportOnce(kind, large.id, LARGE_ROWS);
      }
      if (EXPORT_HEAP_MB > 0) {
        // Again on an API whose V8 heap may not pass EXPORT_HEAP_MB: an export that held its rows would die.
        reportPeak();
        await stopApi();
        pid = await startApi(`--max-old-space-size=${EXPORT_HEAP_MB}`);
        readers.admin = await login('admin@b.kz');
        const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${readers.admin}` } }).then(
          (r) => r.text(),
        );
        const heapUsed = Number(/^kelisim_nodejs_heap_size_used_bytes (\S+)/m.exec(metrics)?.[1] ?? NaN);
        lines.push(
          `${label(`API restarted, heap ≤ ${EXPORT_HEAP_MB} MB`)}V8 heap used ${(heapUsed / 1048576).toFixed(1)} MB after start and login`,
        );
        for (const kind of ['csv', 'xlsx']) {
          await exportOnce(kind, medium.id, MEDIUM_ROWS, `, heap ≤ ${EXPORT_HEAP_MB} MB`);
          await exportOnce(kind, large.id, LARGE_ROWS, `, heap ≤ ${EXPORT_HEAP_MB} MB`);
        }
      }
    }

    reportPeak(); // when the capped restart did not run
    if (PLANS) await printPlans(ds, users, orgIds);
    await ds.destroy();
    await db.end();
  } finally {
    server?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    if (KEEP) console.error(`database kept: ${name} (BENCH_DATABASE=${name} reuses it)`);
    else await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
  if (failures) process.exit(1);
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of every statement the real services issue: DashboardService and
 * ExportsService run on a DataSource whose `query` records each statement with its parameters.
 */
async function printPlans(ds: DataSource, users: Record<string, string>, orgIds: string[]) {
  const captured: Array<[string, unknown[]]> = [];
  const original = ds.query.bind(ds);
  const recording = Object.create(ds) as DataSource;
  recording.query = (async (sql: string, params?: unknown[]) => {
    captured.push([sql, [...(params ?? [])]]); // a copy: the services keep appending to their arrays
    return original(sql, params);
  }) as DataSource['query'];
  const clock: Clock = { now: () => new Date() };
  const config = new ConfigService<Environment, true>({ DEFAULT_TIME_ZONE: 'Asia/Almaty' });
  const dashboard = new DashboardService(recording, clock, config);
  const exports = new ExportsService(recording, clock);
  const actor = (email: string, roles: Role[], supervision?: Actor['supervision']): Actor => ({
    userId: users[email],
    organisationId: orgIds[0],
    roles,
    fullName: email,
    email,
    language: Language.Russian,
    tokenId: 'bench',
    supervision,
  });
  const actors: Record<string, Actor> = {
    rep: actor('rep@b.kz', [Role.PartyRepresentative]),
    supervisor10: actor('sup@b.kz', [Role.Supervisor], { global: false, organisationIds: orgIds, memorandumIds: [] }),
    admin: actor('admin@b.kz', [Role.Admin]),
  };
  const q = Object.assign(new DashboardQuery(), { withinDays: 30, pageSize: 50 });
  const runs: Array<[string, () => Promise<unknown>]> = [];
  for (const [who, a] of Object.entries(actors)) {
    runs.push([`overview (${who})`, () => dashboard.overview(a, q)]);
    runs.push([`commitments (${who})`, () => dashboard.commitments(a, q)]);
    if (who !== 'supervisor10') runs.push([`scorecard (${who})`, () => dashboard.scorecard(a, orgIds[0], q)]);
  }
  runs.push([`organisation calendar feed (rep)`, () => exports.organisationCalendar(actors.rep, orgIds[0])]);
  const out: string[] = ['', 'Plans: EXPLAIN (ANALYZE, BUFFERS) of each statement the services issued'];
  for (const [what, run] of runs) {
    captured.length = 0;
    await run();
    const statements = [...captured];
    for (const [i, [sql, params]] of statements.entries()) {
      const plan = (await original(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)) as { 'QUERY PLAN': string }[];
      out.push('', `── ${what}, statement ${i + 1} of ${statements.length}`, sql.replace(/\s+/g, ' ').trim());
      out.push(...plan.map((r) => r['QUERY PLAN']));
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
