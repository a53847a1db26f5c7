import { randomBytes } from 'node:crypto';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
// Jest's globalSetup runs outside the module mapper, so the @kelisim aliases do not resolve here.
// eslint-disable-next-line no-restricted-imports -- see above
import { dataSourceOptions } from '../../libs/platform/src/database/data-source-options';
// eslint-disable-next-line no-restricted-imports -- see above
import { migrateQueueSchema } from '../../libs/platform/src/queues/queue-backend';
import { admin, databaseUrl } from './databases';

/** Migrates one template database per run, with the real migrations (and BullMQ's PostgreSQL schema). */
export default async function globalSetup(): Promise<void> {
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  process.env.KELISIM_TEST_RUN = run;
  const template = `kelisim_tpl_${run}`;
  await admin((c) => c.query(`CREATE DATABASE "${template}"`));
  const url = databaseUrl(template);
  const db = new DataSource(dataSourceOptions(url, [], MIGRATIONS));
  await db.initialize();
  try {
    await db.runMigrations({ transaction: 'each' });
  } finally {
    await db.destroy();
  }
  await migrateQueueSchema(url);
}
