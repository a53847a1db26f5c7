/**
 * Follow-up at scale: fills a fresh database by bulk SQL with BENCH_ORGS organisations,
 * BENCH_MEMORANDA active memoranda (3 parties each) and BENCH_COMMITMENTS_PER commitments per
 * memorandum, each with BENCH_OCCURRENCES_PER dated occurrences (a share of them overdue, completed
 * or planned), then starts `kelisim api` as a separate process on it and measures every dashboard
 * endpoint, the organisation calendar feed and a CSV export through HTTP from this (load) process,
 * for a party representative, a supervisor scoped to 10 organisations and an admin. Prints p50/p95
 * and each dashboard query's plan summary is left to EXPLAIN by hand (docs/performance.md).
 * Needs `npm run build` first (the API runs from dist/).
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { hashPassword } from '@kelisim/identity';
import { dataSourceOptions } from '@kelisim/platform';
import { MIGRATIONS } from '../migrations';

const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ORGS = Number(process.env.BENCH_ORGS ?? 2000);
const MEMORANDA = Number(process.env.BENCH_MEMORANDA ?? 100_000);
const PER = Number(process.env.BENCH_COMMITMENTS_PER ?? 10);
const OCC = Number(process.env.BENCH_OCCURRENCES_PER ?? 2);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40);
const PORT = Number(process.env.BENCH_PORT ?? 3917);
const PASSWORD = 'bench-password-Тараз';

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main() {
  const name = `kelisim_fubench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  let server: ReturnType<typeof spawn> | undefined;
  try {
    const ds = new DataSource(dataSourceOptions(url, [], MIGRATIONS));
    await ds.initialize();
    await ds.runMigrations();
    const db = new Client({ connectionString: url });
    await db.connect();
    const t0 = performance.now();
    await db.query(`SET synchronous_commit = off`);
    await db.query(
      `INSERT INTO organisations (name, short_name, kind, language)
       SELECT 'Ұйым ' || i, 'Ұйым ' || i, 'ngo', 'kk' FROM generate_series(1, $1) i`,
      [ORGS],
    );
    await db.query(`CREATE TEMP TABLE o AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM organisations`);
    await db.query(`CREATE INDEX ON o (n)`);
    await db.query(
      `INSERT INTO memoranda (title, purpose, body, language, coordinating_organisation_id, status, effective_date,
                              end_date, created_at, updated_at)
       SELECT 'Меморандум ' || i, 'p', 'b', 'ru', (SELECT id FROM o WHERE n = 1 + (i % $2)), 'active',
              date '2025-01-01', date '2028-01-01', now(), now()
         FROM generate_series(1, $1) i`,
      [MEMORANDA, ORGS],
    );
    await db.query(`CREATE TEMP TABLE mm AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM memoranda`);
    await db.query(
      `INSERT INTO memorandum_parties (memorandum_id, organisation_id, role, "order", signatory_user_ids, created_at)
       SELECT mm.id, o.id, 'signatory', k, '{}', now()
         FROM mm CROSS JOIN generate_series(1, 3) k JOIN o ON o.n = 1 + ((mm.n * 7 + k * 13) % $1)`,
      [ORGS],
    );
    await db.query(
      `INSERT INTO commitments (memorandum_id, origin, title, lead_organisation_id, organisation_ids, due_date, status,
                                created_at, updated_at)
       SELECT mm.id, 'plan', 'Совместное мероприятие ' || k, o.id, '{}', null,
              (ARRAY['planned','in_progress','overdue','completed'])[1 + (mm.n + k) % 4], now(), now()
         FROM mm CROSS JOIN generate_series(1, $2) k JOIN o ON o.n = 1 + ((mm.n * 7 + (k % 3 + 1) * 13) % $1)`,
      [ORGS, PER],
    );
    await db.query(
      `INSERT INTO commitment_occurrences (commitment_id, memorandum_id, organisation_id, date, overdue_at, status, late)
       SELECT c.id, c.memorandum_id, c.lead_organisation_id, d, d + 1, 
              CASE WHEN d < date '2026-11-27' THEN (CASE WHEN c.status = 'completed' THEN 'completed' ELSE 'overdue' END)
                   ELSE 'planned' END, false
         FROM commitments c CROSS JOIN LATERAL (
           SELECT (date '2025-01-01' + ((abs(hashtext(c.id::text)) % 1000) + j * 90))::date AS d
             FROM generate_series(1, $1) j) x`,
      [OCC],
    );
    await db.query('ANALYZE');
    const fill = (performance.now() - t0) / 1000;
    const [{ c }] = (await db.query('SELECT count(*)::int AS c FROM commitments')).rows;
    const [{ n: occ }] = (await db.query('SELECT count(*)::int AS n FROM commitment_occurrences')).rows;
    const hash = await hashPassword(PASSWORD);
    const orgIds = (await db.query('SELECT id FROM o ORDER BY n LIMIT 10')).rows.map((r) => r.id as string);
    await db.query(
      `INSERT INTO users (full_name, email, password_hash, organisation_id, roles, language) VALUES
        ('Admin', 'admin@b.kz', $1, $2, '{admin}', 'ru'),
        ('Rep', 'rep@b.kz', $1, $2, '{party_representative}', 'ru'),
        ('Sup', 'sup@b.kz', $1, $2, '{supervisor}', 'ru')`,
      [hash, orgIds[0]],
    );
    await db.query(
      `INSERT INTO supervision_scopes (supervisor_user_id, organisation_id, created_at)
       SELECT u.id, o, now() FROM users u, unnest($1::uuid[]) o WHERE u.email = 'sup@b.kz'`,
      [orgIds],
    );
    await ds.destroy();

    server = spawn(process.execPath, [join(__dirname, '..', 'bin', 'kelisim.js'), 'api'], {
      env: {
        ...process.env,
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
    const base = `http://127.0.0.1:${PORT}`;
    for (let i = 0; i < 120; i++) {
      const ok = await fetch(`${base}/health`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
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
      await db.query('SELECT id FROM memoranda WHERE coordinating_organisation_id = $1 LIMIT 1', [orgIds[0]])
    ).rows;
    const feed = await fetch(`${base}/me/feed-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${readers.rep}` },
      body: JSON.stringify({ name: 'bench' }),
    }).then((r) => r.json() as Promise<{ token: string }>);
    const endpoints: Array<[string, string]> = [
      ['overview', '/dashboard/overview?withinDays=30'],
      ['commitments', '/dashboard/commitments?pageSize=50'],
      ['scorecard', `/dashboard/organisations/${orgIds[0]}`],
      ['timeline', `/dashboard/memoranda/${anyMemorandum.id}/timeline?pageSize=50`],
    ];
    const lines: string[] = [];
    lines.push(
      `Kelisim follow-up benchmark — ${ORGS} organisations, ${MEMORANDA} memoranda, ${c} commitments, ${occ} occurrences`,
    );
    lines.push(`fill by bulk SQL                    ${fill.toFixed(1)} s`);
    for (const [who, token] of Object.entries(readers)) {
      for (const [label, path] of endpoints) {
        if (label === 'scorecard' && who === 'supervisor10') continue;
        const times: number[] = [];
        let status = 0;
        for (let i = 0; i < REQUESTS; i++) {
          const s = performance.now();
          const r = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
          status = r.status;
          await r.arrayBuffer();
          times.push(performance.now() - s);
        }
        lines.push(
          `${`${label} (${who})`.padEnd(36)}p50 ${pct(times, 50).toFixed(1)} ms  p95 ${pct(times, 95).toFixed(1)} ms  [${status}]`,
        );
      }
    }
    const s1 = performance.now();
    const ics = await fetch(`${base}/organisations/${orgIds[0]}/calendar.ics?token=${feed.token}`);
    const icsText = await ics.text();
    lines.push(
      `organisation calendar feed          ${(performance.now() - s1).toFixed(0)} ms, ${(icsText.match(/BEGIN:VEVENT/g) ?? []).length} events [${ics.status}]`,
    );
    const [{ id: big }] = (
      await db.query(
        `SELECT memorandum_id AS id FROM commitments GROUP BY memorandum_id ORDER BY count(*) DESC LIMIT 1`,
      )
    ).rows;
    const s2 = performance.now();
    const csv = await fetch(`${base}/memoranda/${big}/commitments.csv`, {
      headers: { authorization: `Bearer ${readers.admin}` },
    });
    const bytes = (await csv.arrayBuffer()).byteLength;
    lines.push(
      `CSV export of one memorandum        ${(performance.now() - s2).toFixed(0)} ms, ${bytes} bytes [${csv.status}]`,
    );
    await db.end();
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    server?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
