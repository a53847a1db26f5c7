import { DataSource } from 'typeorm';
import { MIGRATIONS } from '@kelisim/migrations';
import { dataSourceOptions, runMigrationsLocked } from '@kelisim/platform';
import { bootLog, loadEnvironment, withInfrastructure } from '../processes';

/** Applies pending migrations (under the same advisory lock as at boot) and BullMQ's schema if needed. */
export async function migrate(): Promise<void> {
  const env = loadEnvironment();
  await withInfrastructure(env, async (infra) => {
    const db = new DataSource(dataSourceOptions(infra.databaseUrl, [], MIGRATIONS));
    await db.initialize();
    try {
      const ran = await runMigrationsLocked(db);
      bootLog(ran.length ? `Applied ${ran.length} migration(s): ${ran.join(', ')}` : 'Database schema is up to date');
    } finally {
      await db.destroy();
    }
  });
}
