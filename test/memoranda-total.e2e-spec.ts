/**
 * The admin's unfiltered GET /memoranda reads its total from memorandum_totals (migration
 * 1795006000000), kept by triggers on memoranda instead of counted per request. Checked against
 * count(*) after concurrent creations through the API, bulk SQL inserts and deletes (a draft among
 * them), a rolled-back insert, two writers on different shards (neither waits for the other), the
 * migration's down and up over rows written in between, and TRUNCATE.
 */
import { Client } from 'pg';
import { Role } from '@kelisim/identity';
import { MemorandaTotal1795006000000 } from '../migrations/1795006000000-MemorandaTotal';
import { createAdmin, createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

describe('GET /memoranda: the unfiltered total kept by triggers (real PostgreSQL)', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let orgId: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
    orgId = (await createOrganisation(t, 'Үйлестіруші ұйым')).id;
    coordinator = await createUser(t, {
      fullName: 'Үйлестіруші',
      email: 'coordinator@total.test',
      organisationId: orgId,
      roles: [Role.Coordinator],
    });
  });
  afterAll(() => t?.close());

  const counted = async () => Number((await t.db.query(`SELECT count(*) AS n FROM memoranda`))[0].n);
  const listedTotal = async () => {
    const res = await t.http().get('/memoranda').query({ pageSize: 1 }).set(admin.auth);
    expect(res.status).toBe(200);
    return res.body.total as number;
  };
  const draft = async (i: number) => {
    const res = await t
      .http()
      .post('/memoranda')
      .set(coordinator.auth)
      .send({ title: `Меморандум ${i}`, purpose: 'p', body: 'b', language: 'kk', coordinatingOrganisationId: orgId });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const bulkInsert = (db: { query: (sql: string, p: unknown[]) => Promise<unknown> }, n: number) =>
    db.query(
      `INSERT INTO memoranda (title, purpose, body, language, coordinating_organisation_id, status, version,
                              current_revision_number, created_at, updated_at)
       SELECT 'Көпшілік ' || i, 'p', 'b', 'kk', $1, 'draft', 1, 1, now(), now() FROM generate_series(1, $2) i`,
      [orgId, n],
    );

  it('concurrent creations through the API, bulk SQL and deletions leave the total exact', async () => {
    expect(await listedTotal()).toBe(0);
    const ids = await Promise.all(Array.from({ length: 24 }, (_, i) => draft(i)));
    expect(await counted()).toBe(24);
    expect(await listedTotal()).toBe(24);

    await bulkInsert(t.db, 500);
    expect(await listedTotal()).toBe(524);

    // No DELETE endpoint for memoranda: a draft made through the API deleted by SQL, then a bulk
    // delete, then one that matches nothing.
    await t.db.query(`DELETE FROM memoranda WHERE id = $1`, [ids[0]]);
    expect(await listedTotal()).toBe(523);
    await t.db.query(
      `DELETE FROM memoranda WHERE id IN (SELECT id FROM memoranda WHERE title LIKE 'Көпшілік %' LIMIT 100)`,
    );
    await t.db.query(`DELETE FROM memoranda WHERE false`);
    expect(await counted()).toBe(423);
    expect(await listedTotal()).toBe(423);
  });

  it('is transactional: a rolled-back insert never counts, an open one only for its own transaction', async () => {
    const before = await counted();
    const runner = t.db.createQueryRunner();
    try {
      await runner.startTransaction();
      await bulkInsert(runner, 7);
      expect(Number((await runner.query(`SELECT sum(total) AS n FROM memorandum_totals`))[0].n)).toBe(before + 7);
      expect(await listedTotal()).toBe(before);
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    expect(await listedTotal()).toBe(before);
  });

  it('two writers on different shards do not wait for each other', async () => {
    const clients: Client[] = [];
    const connect = async () => {
      const c = new Client({ connectionString: t.databaseUrl });
      await c.connect();
      clients.push(c);
      return { c, shard: Number((await c.query(`SELECT pg_backend_pid() % 16 AS s`)).rows[0].s) };
    };
    try {
      const a = await connect();
      let b = await connect();
      while (b.shard === a.shard) b = await connect();
      const before = await counted();
      await a.c.query('BEGIN');
      await bulkInsert(a.c, 3);
      await b.c.query('BEGIN');
      // Would fail with lock_timeout if b waited on a's counter row.
      await b.c.query(`SET LOCAL lock_timeout = '2s'`);
      await bulkInsert(b.c, 2);
      await b.c.query('COMMIT');
      expect(await listedTotal()).toBe(before + 2);
      await a.c.query('COMMIT');
      expect(await listedTotal()).toBe(before + 5);
      expect(await counted()).toBe(before + 5);
    } finally {
      for (const c of clients) await c.end();
    }
  });

  it("the migration's down and up: rows written without the triggers are counted again by the seed", async () => {
    const migration = new MemorandaTotal1795006000000();
    const runner = t.db.createQueryRunner();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      expect((await runner.query(`SELECT to_regclass('memorandum_totals') AS r`))[0].r).toBeNull();
      await bulkInsert(runner, 11);
      await runner.query(`DELETE FROM memoranda WHERE id IN (SELECT id FROM memoranda LIMIT 4)`);
      await migration.up(runner);
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    const n = await counted();
    expect(await listedTotal()).toBe(n);
    await draft(1000);
    expect(await listedTotal()).toBe(n + 1);
  });

  it('TRUNCATE resets it', async () => {
    await t.db.query(`TRUNCATE memoranda CASCADE`);
    expect(await listedTotal()).toBe(0);
    await draft(2000);
    expect(await listedTotal()).toBe(1);
    expect(await counted()).toBe(1);
  });
});
