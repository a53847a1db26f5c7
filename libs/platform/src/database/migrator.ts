import { DataSource } from 'typeorm';
import { AdvisoryLock, withAdvisoryLock } from './advisory-lock';

/**
 * Applies pending migrations under an advisory lock, so replicas that boot together migrate once.
 * Returns the names of the migrations it ran. On a restart with nothing pending (the usual case)
 * one read of the migrations table answers, without the lock or TypeORM's schema checks.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  if (!(await pendingMigrations(dataSource)).length) return [];
  return withAdvisoryLock(dataSource, AdvisoryLock.Migrations, async () => {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  });
}

export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const executed = new Set<string>(
    (await dataSource.query(`SELECT to_regclass('public.migrations') AS t`))[0].t
      ? (await dataSource.query('SELECT name FROM migrations')).map((r: { name: string }) => r.name)
      : [],
  );
  return dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((n) => !executed.has(n));
}
