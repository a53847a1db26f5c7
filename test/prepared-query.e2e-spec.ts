import { QueryFailedError } from 'typeorm';
import { preparedQuery } from '@kelisim/platform';
import { startTestApp, TestApp } from './support/test-app';

/** Named prepared statements for the hot paths: the same answers and errors as `query`, in the same transaction. */
describe('preparedQuery (real PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await t.db.query(`DROP TABLE IF EXISTS pq_probe_kv`);
    await t.db.query(`CREATE TABLE pq_probe_kv (k text PRIMARY KEY, v int)`);
  });
  afterAll(async () => {
    await t?.db.query(`DROP TABLE IF EXISTS pq_probe_kv`);
    await t?.close();
  });

  it('runs in the caller’s transaction under a name derived from the text, prepared once per connection', async () => {
    const text = `INSERT INTO pq_probe_kv (k, v) VALUES ($1, $2) RETURNING k, v`;
    const seen = await t.db.transaction(async (m) => {
      const first = await preparedQuery(m, text, ['a', 1]);
      const second = await preparedQuery(m, text, ['b', 2]);
      expect([...first, ...second]).toEqual([
        { k: 'a', v: 1 },
        { k: 'b', v: 2 },
      ]);
      // Same connection as the transaction: the rows are visible to it, and the statement is prepared there once.
      const inside = await m.query(`SELECT count(*)::int AS n FROM pq_probe_kv`);
      const prepared = await m.query(`SELECT name FROM pg_prepared_statements WHERE statement = $1`, [text]);
      return { inside: inside[0].n, prepared: prepared.map((p: { name: string }) => p.name) };
    });
    expect(seen.inside).toBe(2);
    expect(seen.prepared).toHaveLength(1);
    expect(seen.prepared[0]).toMatch(/^k[0-9a-f]{24}$/);
  });

  it('is rolled back with the transaction it ran in', async () => {
    await expect(
      t.db.transaction(async (m) => {
        await preparedQuery(m, `INSERT INTO pq_probe_kv (k, v) VALUES ($1, $2)`, ['rolled-back', 1]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const [row] = await preparedQuery<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM pq_probe_kv WHERE k = $1`, [
      'rolled-back',
    ]);
    expect(row.n).toBe(0);
  });

  it('fails as TypeORM’s QueryFailedError with the driver’s error, outside a transaction too', async () => {
    const text = `INSERT INTO pq_probe_kv (k, v) VALUES ($1, $2)`;
    await preparedQuery(t.db, text, ['dup', 1]);
    const error = await preparedQuery(t.db, text, ['dup', 2]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('23505');
    // Different texts never share a name: the two selects answer for their own columns.
    const [a] = await preparedQuery(t.db, `SELECT $1::int AS a`, [1]);
    const [b] = await preparedQuery(t.db, `SELECT $1::text AS b`, ['x']);
    expect(a).toEqual({ a: 1 });
    expect(b).toEqual({ b: 'x' });
  });
});
