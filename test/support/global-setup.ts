import { randomBytes } from 'node:crypto';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { dataSourceOptions, migrateQueueSchema } from '@kelisim/platform';
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
