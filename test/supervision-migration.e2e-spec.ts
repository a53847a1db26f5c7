/**
 * The upgrade to deny-by-default supervision (migration 1795007000000) on a database migrated to
 * just before it: every supervisor who had no scope — and so saw everything — gets the global
 * scope and keeps seeing everything; scoped supervisors keep exactly their scopes; other users get
 * none. Its `down` gives the old shape back.
 */
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@kelisim/platform';
import { MIGRATIONS } from '../migrations';
import { GlobalSupervision1795007000000 } from '../migrations/1795007000000-GlobalSupervision';
import { admin, databaseUrl, dropTestDatabase } from './support/databases';

describe('migration 1795007000000: unscoped supervisors get the global scope', () => {
  const name = `kelisim_t_mig_${randomBytes(4).toString('hex')}`;
  let db: DataSource;

  const connect = async (migrations: typeof MIGRATIONS) => {
    const ds = new DataSource(dataSourceOptions(databaseUrl(name), [], migrations));
    await ds.initialize();
    return ds;
  };

  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  });
  afterAll(async () => {
    await db?.destroy();
    await dropTestDatabase(name);
  });

  it('gives the global scope to every supervisor without one, and nothing else changes', async () => {
    const mine = MIGRATIONS.indexOf(GlobalSupervision1795007000000);
    expect(mine).toBeGreaterThan(0);
    db = await connect(MIGRATIONS.slice(0, mine));
    await db.runMigrations({ transaction: 'each' });

    const [{ id: org }] = await db.query(
      `INSERT INTO organisations (name, short_name, kind, language) VALUES ('Oversight', 'Oversight', 'government_office', 'kk') RETURNING id`,
    );
    const user = async (email: string, roles: string[], active = true): Promise<string> =>
      (
        await db.query(
          `INSERT INTO users (full_name, email, password_hash, organisation_id, roles, language, active)
           VALUES ($1, $1, 'x', $2, $3, 'kk', $4) RETURNING id`,
          [email, org, roles, active],
        )
      )[0].id;
    const national = await user('national@x.kz', ['supervisor']);
    await user('dormant@x.kz', ['supervisor', 'coordinator'], false);
    const regional = await user('regional@x.kz', ['supervisor']);
    const single = await user('single@x.kz', ['supervisor']);
    const coordinator = await user('coordinator@x.kz', ['coordinator']);
    const memorandum = '00000000-0000-4000-8000-000000000001';
    await db.query(
      `INSERT INTO supervision_scopes (supervisor_user_id, organisation_id, created_at) VALUES ($1, $2, now())`,
      [regional, org],
    );
    await db.query(
      `INSERT INTO supervision_scopes (supervisor_user_id, memorandum_id, created_at) VALUES ($1, $2, now())`,
      [single, memorandum],
    );
    await db.destroy();

    db = await connect(MIGRATIONS);
    await db.runMigrations({ transaction: 'each' });
    const scopes = async () =>
      (await db.query(
        `SELECT u.email, s.kind, s.organisation_id AS "organisationId", s.memorandum_id AS "memorandumId"
           FROM supervision_scopes s JOIN users u ON u.id = s.supervisor_user_id ORDER BY u.email, s.kind`,
      )) as Array<Record<string, string | null>>;
    expect(await scopes()).toEqual([
      { email: 'dormant@x.kz', kind: 'global', organisationId: null, memorandumId: null },
      { email: 'national@x.kz', kind: 'global', organisationId: null, memorandumId: null },
      { email: 'regional@x.kz', kind: 'organisation', organisationId: org, memorandumId: null },
      { email: 'single@x.kz', kind: 'memorandum', organisationId: null, memorandumId: memorandum },
    ]);

    // The new shape holds: one global scope per supervisor, no ids with it.
    await expect(
      db.query(`INSERT INTO supervision_scopes (supervisor_user_id, kind, created_at) VALUES ($1, 'global', now())`, [
        national,
      ]),
    ).rejects.toThrow(/supervision_scopes_global_unique/);
    await expect(
      db.query(
        `INSERT INTO supervision_scopes (supervisor_user_id, kind, organisation_id, created_at) VALUES ($1, 'global', $2, now())`,
        [coordinator, org],
      ),
    ).rejects.toThrow(/supervision_scopes_target_check/);

    // Down: the global scopes go (those supervisors are unscoped again, which the old code reads as everything).
    const runner = db.createQueryRunner();
    try {
      await new GlobalSupervision1795007000000().down(runner);
    } finally {
      await runner.release();
    }
    expect(
      await db.query(`SELECT u.email FROM supervision_scopes s JOIN users u ON u.id = s.supervisor_user_id ORDER BY 1`),
    ).toEqual([{ email: 'regional@x.kz' }, { email: 'single@x.kz' }]);
  });
});
