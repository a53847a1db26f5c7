/**
 * How many lifecycle transitions per second Kelisim sustains through its HTTP API, against the
 * cost of the bare SQL a transition needs, measured with pgbench in the same run on the same server.
 *
 *   npm run bench:transitions            (env: BENCH_MEMORANDA=200 BENCH_CONCURRENCY=16 BENCH_SECONDS=10)
 *
 * Kelisim: M memoranda with 5 signatory parties each are submitted, then every party approves
 * (M × 5 approvals, the last one per memorandum also moves it to `approved`), C requests at a
 * time. Each approval is one transaction: row lock, approval row, version bump, hash-chained
 * history event, outbox event(s) — plus authentication, validation and the HTTP round trip.
 * Baseline: pgbench running the same shape of transaction in plain SQL (lock a row, update it,
 * insert two rows), C clients, for BENCH_SECONDS.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ApiModule } from '../apps/api/src/api.module';
import { Language, OrganisationKind, OrganisationsService, Role, UsersService } from '@kelisim/identity';
import { configureHttpApp, dataSourceOptions } from '@kelisim/platform';
import { MIGRATIONS } from '../migrations';

const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const M = Number(process.env.BENCH_MEMORANDA ?? 200);
const C = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PARTIES = 5;
const PASSWORD = 'bench-password-Тараз';

function dbUrl(name: string) {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(sql: string) {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Runs `work` over `items` with at most `limit` in flight; returns each call's latency in ms. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const item = items[next++];
        const t0 = performance.now();
        await work(item);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return latencies;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main() {
  const name = `kelisim_bench_${Date.now().toString(36)}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = dbUrl(name);
  try {
    const ds = new DataSource(dataSourceOptions(url, [], MIGRATIONS));
    await ds.initialize();
    await ds.runMigrations();
    await ds.destroy();

    const app = await NestFactory.create(
      ApiModule.forRoot({
        DATABASE_URL: url,
        REDIS_URL,
        QUEUE_PREFIX: `bench_${Date.now().toString(36)}`,
        LOG_LEVEL: 'warn',
        LOGIN_RATE_LIMIT: '1000000',
      }),
      { bodyParser: false, logger: ['error', 'warn'] },
    );
    configureHttpApp(app, { bodyLimit: '1mb' });
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const call = async (method: string, path: string, token: string | null, body?: unknown) => {
      const res = await fetch(base + path, {
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

    try {
      const orgs = app.get(OrganisationsService);
      const users = app.get(UsersService);
      const coordOrg = await orgs.create({
        name: 'Қоғамдық келісім',
        shortName: 'Қоғамдық келісім',
        kind: OrganisationKind.PublicInstitution,
        language: Language.Kazakh,
      });
      await users.create({
        fullName: 'Парида Мамедова',
        email: 'coord@bench.kz',
        password: PASSWORD,
        organisationId: coordOrg.id,
        roles: [Role.Coordinator],
        language: Language.Russian,
      });
      const parties: Array<{ orgId: string; token: string }> = [];
      for (let i = 0; i < PARTIES; i++) {
        const org = await orgs.create({
          name: `Тарап ${i + 1}`,
          shortName: `Тарап ${i + 1}`,
          kind: OrganisationKind.YouthOrganisation,
          language: Language.Kazakh,
        });
        await users.create({
          fullName: `Өкіл ${i + 1}`,
          email: `rep${i}@bench.kz`,
          password: PASSWORD,
          organisationId: org.id,
          roles: [Role.PartyRepresentative, Role.Signatory],
          language: Language.Kazakh,
        });
        parties.push({ orgId: org.id, token: await login(`rep${i}@bench.kz`) });
      }
      const coord = await login('coord@bench.kz');

      const setupStart = performance.now();
      const memoranda: Array<{ id: string; hash: string }> = [];
      await pool(
        Array.from({ length: M }, (_, i) => i),
        C,
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
          for (const p of parties)
            await call('POST', `/memoranda/${m.id}/parties`, coord, { organisationId: p.orgId, role: 'signatory' });
          await call('POST', `/memoranda/${m.id}/submit`, coord, {});
          const full = await call('GET', `/memoranda/${m.id}`, coord);
          memoranda.push({ id: m.id, hash: full.currentRevision.hash });
        },
      );
      const setupSeconds = (performance.now() - setupStart) / 1000;

      // Party-major order: requests in flight are for different memoranda, as in real use (the
      // same-memorandum race is what test/memoranda-concurrency.e2e-spec.ts covers).
      const approvals = parties.flatMap((p) => memoranda.map((m) => ({ m, p })));
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const lat = await pool(approvals, C, async ({ m, p }) => {
        await call('POST', `/memoranda/${m.id}/approvals`, p.token, { decision: 'approve', revisionHash: m.hash });
      });
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuMsPerApproval = (cpu.user + cpu.system) / 1000 / approvals.length;
      const approved = await app
        .get(DataSource)
        .query(`SELECT count(*)::int AS n FROM memoranda WHERE status = 'approved'`);
      const kelisimTps = approvals.length / seconds;

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
      const c = new Client({ connectionString: url });
      await c.connect();
      await c.query(`CREATE TABLE bench_rows (id int PRIMARY KEY, version int NOT NULL DEFAULT 1);
        INSERT INTO bench_rows SELECT g FROM generate_series(1, 1000) g;
        CREATE TABLE bench_history (id bigserial PRIMARY KEY, row_id int, payload text, at timestamptz DEFAULT now());
        CREATE TABLE bench_outbox (id bigserial PRIMARY KEY, row_id int, payload jsonb, at timestamptz DEFAULT now());`);
      await c.end();
      const out = execFileSync(
        'pgbench',
        ['-n', '-f', script, '-c', String(C), '-j', '2', '-T', String(SECONDS), url],
        { encoding: 'utf8' },
      );
      const pgbenchTps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);

      const line = (k: string, v: string) => console.log(`${k.padEnd(34)} ${v}`);
      console.log(
        `\nKelisim transitions benchmark — ${M} memoranda × ${PARTIES} signatory parties, concurrency ${C}, PostgreSQL at ${new URL(ADMIN_URL).host}`,
      );
      line('setup (create, 5 parties, submit)', `${M} memoranda in ${setupSeconds.toFixed(1)} s`);
      line(
        'approvals through the HTTP API',
        `${approvals.length} in ${seconds.toFixed(2)} s = ${kelisimTps.toFixed(0)} transitions/s`,
      );
      line(
        'approval latency p50 / p95 / p99',
        `${pct(lat, 50).toFixed(1)} / ${pct(lat, 95).toFixed(1)} / ${pct(lat, 99).toFixed(1)} ms`,
      );
      line(
        'Node.js CPU per approval',
        `${cpuMsPerApproval.toFixed(1)} ms (server and benchmark client share the process)`,
      );
      line('memoranda approved', `${approved[0].n} of ${M}`);
      line('baseline: pgbench, same SQL shape', `${pgbenchTps.toFixed(0)} transactions/s (${C} clients, ${SECONDS} s)`);
      line('Kelisim / baseline', `${((kelisimTps / pgbenchTps) * 100).toFixed(1)} %`);
      if (approved[0].n !== M) process.exitCode = 1;
    } finally {
      await app.close();
    }
  } finally {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
