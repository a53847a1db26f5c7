/**
 * The reads users repeat — `GET /memoranda` (the list, with its filters) and `GET /memoranda/{id}`
 * — on 10,000 memoranda, through the HTTP API of `kelisim api` in its own process, load from this
 * process with autocannon (8 clients by default). Printed per endpoint: requests/s, p50/p95/p99,
 * SQL round trips and server CPU per request. Baseline in the same run: pgbench reading one
 * memorandum row by primary key with the same number of clients.
 *
 *   npm run build && npm run bench:reads
 *   (env: BENCH_MEMORANDA=10000 BENCH_ORGS=50 BENCH_READS=2000 BENCH_CLIENTS=8 BENCH_SECONDS=10
 *   BENCH_WARMUP=500)
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { hashPassword } from '@kelisim/identity';
import { dataSourceOptions } from '@kelisim/platform';
import { MIGRATIONS } from '../migrations';
import { startApi } from './support/api-process';
import { load, LoadRequest, pct } from './support/load';

const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MEMORANDA = Number(process.env.BENCH_MEMORANDA ?? 10_000);
const ORGS = Number(process.env.BENCH_ORGS ?? 50);
const READS = Number(process.env.BENCH_READS ?? 2000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3932);
/** Requests per line sent before the measured runs, not measured, to warm the API up. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const PASSWORD = 'bench-password-Тараз';

async function main() {
  const name = `kelisim_rbench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  const load0 = loadavg();
  try {
    const ds = new DataSource(dataSourceOptions(url, [], MIGRATIONS));
    await ds.initialize();
    await ds.runMigrations();
    await ds.destroy();
    const db = new Client({ connectionString: url });
    await db.connect();
    const t0 = performance.now();
    await db.query(
      `INSERT INTO organisations (name, short_name, kind, language)
       SELECT 'Ұйым ' || i, 'Ұйым ' || i, 'ngo', 'kk' FROM generate_series(1, $1) i`,
      [ORGS],
    );
    await db.query(`CREATE TEMP TABLE o AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM organisations`);
    // Memoranda of 10 coordinating organisations (the first coordinates a tenth of them), 3 parties each,
    // statuses spread over the lifecycle, one revision each (frozen past draft).
    await db.query(
      `INSERT INTO memoranda (title, purpose, body, language, coordinating_organisation_id, status, effective_date,
                              end_date, version, current_revision_number, created_at, updated_at)
       SELECT 'Меморандум ' || i || CASE WHEN i % 100 = 0 THEN ' жастар' ELSE '' END, 'Ынтымақтастық', repeat('Мәтін. ', 200), 'kk',
              (SELECT id FROM o WHERE n = 1 + (i % 10)),
              (ARRAY['draft','in_review','approved','signing','active','expired'])[1 + (i % 6)],
              date '2026-01-01', date '2029-01-01', 1, 1,
              now() - make_interval(mins => i), now() - make_interval(mins => i)
         FROM generate_series(1, $1) i`,
      [MEMORANDA],
    );
    await db.query(`CREATE TEMP TABLE mm AS SELECT row_number() OVER (ORDER BY id) AS n, id, status FROM memoranda`);
    await db.query(
      `INSERT INTO memorandum_parties (memorandum_id, organisation_id, role, "order", signatory_user_ids, created_at)
       SELECT mm.id, o.id, 'signatory', k, '{}', now()
         FROM mm CROSS JOIN generate_series(1, 3) k JOIN o ON o.n = 11 + ((mm.n * 7 + k * 13) % ($1 - 10))`,
      [ORGS],
    );
    await db.query(
      `INSERT INTO memorandum_revisions (memorandum_id, number, kind, title, purpose, body, language, time_zone,
                                         effective_date, end_date, parties, hash, frozen_at, created_at)
       SELECT mm.id, 1, 'original', 'Меморандум', 'Ынтымақтастық', 'Мәтін', 'kk', 'Asia/Almaty', date '2026-01-01',
              date '2029-01-01',
              CASE WHEN mm.status = 'draft' THEN NULL ELSE '[]'::jsonb END,
              CASE WHEN mm.status = 'draft' THEN NULL ELSE encode(sha256(mm.id::text::bytea), 'hex') END,
              CASE WHEN mm.status = 'draft' THEN NULL ELSE now() END, now()
         FROM mm`,
    );
    const [coordOrg, repOrg] = (await db.query(`SELECT id FROM o WHERE n IN (1, 11) ORDER BY n`)).rows.map(
      (r) => r.id as string,
    );
    const hash = await hashPassword(PASSWORD);
    await db.query(
      `INSERT INTO users (full_name, email, password_hash, organisation_id, roles, language) VALUES
        ('Admin', 'admin@b.kz', $1, $2, '{admin}', 'ru'),
        ('Coordinator', 'coord@b.kz', $1, $2, '{coordinator}', 'ru'),
        ('Rep', 'rep@b.kz', $1, $3, '{party_representative}', 'kk')`,
      [hash, coordOrg, repOrg],
    );
    // VACUUM as autovacuum would soon after a bulk load: the visibility map (index-only counts) and the
    // trigram indexes' pending lists (a search reads them linearly until they are merged) as at rest.
    await db.query('VACUUM ANALYZE');
    const fillSeconds = (performance.now() - t0) / 1000;
    const visibleToRep = (
      await db.query(
        `SELECT DISTINCT m.id FROM memoranda m JOIN memorandum_parties p ON p.memorandum_id = m.id
          WHERE p.organisation_id = $1 LIMIT 500`,
        [repOrg],
      )
    ).rows.map((r) => r.id as string);
    const ofCoordinator = (
      await db.query(`SELECT id FROM memoranda WHERE coordinating_organisation_id = $1 LIMIT 500`, [coordOrg])
    ).rows.map((r) => r.id as string);

    const api = await startApi({ databaseUrl: url, port: PORT });
    const apiReadyMb = api.peakRssMb().total;
    const login = async (email: string) => {
      const r = await fetch(`${api.base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      return ((await r.json()) as { token: string }).token;
    };
    const tokens = { admin: await login('admin@b.kz'), coord: await login('coord@b.kz'), rep: await login('rep@b.kz') };
    const many = (f: (i: number) => LoadRequest): LoadRequest[] => Array.from({ length: READS }, (_, i) => f(i));
    const cases: Array<[string, LoadRequest[]]> = [
      ['GET /memoranda (admin)', many(() => ({ method: 'GET', path: '/memoranda', token: tokens.admin }))],
      ['GET /memoranda (coordinator)', many(() => ({ method: 'GET', path: '/memoranda', token: tokens.coord }))],
      [
        'GET /memoranda?status= (coordinator)',
        many(() => ({ method: 'GET', path: '/memoranda?status=in_review', token: tokens.coord })),
      ],
      ['GET /memoranda (party rep)', many(() => ({ method: 'GET', path: '/memoranda', token: tokens.rep }))],
      [
        'GET /memoranda?organisationId= (admin)',
        many(() => ({ method: 'GET', path: `/memoranda?organisationId=${repOrg}`, token: tokens.admin })),
      ],
      [
        'GET /memoranda?q= (admin)',
        many(() => ({ method: 'GET', path: `/memoranda?q=${encodeURIComponent('жастар')}`, token: tokens.admin })),
      ],
      [
        'GET /memoranda/{id} (coordinator)',
        many((i) => ({
          method: 'GET',
          path: `/memoranda/${ofCoordinator[i % ofCoordinator.length]}`,
          token: tokens.coord,
        })),
      ],
      [
        'GET /memoranda/{id} (party rep)',
        many((i) => ({
          method: 'GET',
          path: `/memoranda/${visibleToRep[i % visibleToRep.length]}`,
          token: tokens.rep,
        })),
      ],
    ];
    // Warm-up, not measured: V8 optimises each path after some hundreds of requests, and a server
    // that users run is warm (50 per line left the first lines measured partly cold).
    const warm = await load(
      api.base,
      cases.flatMap(([, list]) => list.slice(0, WARMUP)),
      CLIENTS,
    );
    const rows: string[] = [];
    let bad = warm.non2xx + warm.errors;
    for (const [label, list] of cases) {
      const s0 = await api.statements();
      const c0 = api.cpuMs();
      const r = await load(api.base, list, CLIENTS);
      const cpu = (api.cpuMs() - c0) / r.requests;
      const sqlPer = ((await api.statements()) - s0) / r.requests;
      bad += r.non2xx + r.errors;
      rows.push(
        `${label.padEnd(40)}${r.perSecond.toFixed(0).padStart(7)}${pct(r.latencies, 50).toFixed(1).padStart(8)}${pct(r.latencies, 95).toFixed(1).padStart(8)}${pct(r.latencies, 99).toFixed(1).padStart(8)}${sqlPer.toFixed(2).padStart(7)}${cpu.toFixed(2).padStart(9)}`,
      );
    }
    const apiPeak = api.peakRssMb();
    await api.stop();

    const dir = mkdtempSync(join(tmpdir(), 'kelisim-rbench-'));
    const script = join(dir, 'read.sql');
    await db.query(`CREATE TABLE bench_ids AS SELECT row_number() OVER () AS n, id FROM memoranda`);
    await db.query(`CREATE INDEX ON bench_ids (n)`);
    writeFileSync(
      script,
      `\\set n random(1, ${MEMORANDA})\nSELECT to_jsonb(m) FROM memoranda m WHERE m.id = (SELECT id FROM bench_ids WHERE n = :n);\n`,
    );
    const out = execFileSync(
      'pgbench',
      ['-n', '-f', script, '-c', String(CLIENTS), '-j', String(Math.min(CLIENTS, 2)), '-T', String(SECONDS), url],
      { encoding: 'utf8' },
    );
    const pgbenchTps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
    const latency = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
    await db.end();
    const load1 = loadavg();

    console.log(
      `\nKelisim reads benchmark — ${MEMORANDA} memoranda, ${ORGS} organisations, ${READS} requests per line, ${CLIENTS} clients; API: kelisim api (separate process); load: autocannon; ${cpus().length} cores`,
    );
    console.log(`load average (1 min) before / after     ${load0[0].toFixed(2)} / ${load1[0].toFixed(2)}`);
    console.log(`fill by bulk SQL                        ${fillSeconds.toFixed(1)} s`);
    console.log(
      `${'request'.padEnd(40)}${'req/s'.padStart(7)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'SQL'.padStart(7)}${'CPU ms'.padStart(9)}`,
    );
    for (const r of rows) console.log(r);
    console.log(
      `baseline: pgbench, one memorandum row by primary key, ${CLIENTS} clients: ${pgbenchTps.toFixed(0)} tps, average latency ${latency} ms`,
    );
    console.log(
      `API peak RSS (VmHWM)                    ${apiReadyMb.toFixed(0)} MB when ready, ${apiPeak.total.toFixed(0)} MB at the peak${apiPeak.each.length > 1 ? ` (${apiPeak.each.map((m) => m.toFixed(0)).join(' + ')} MB, one per process)` : ''}`,
    );
    console.log(`non-2xx answers or errors               ${bad}`);
    if (bad) process.exitCode = 1;
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
