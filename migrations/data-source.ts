/**
 * The DataSource the TypeORM CLI uses (`npm run migration:generate`, `npm run migration:check`):
 * every entity of the product, every migration, DATABASE_URL.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { IDENTITY_ENTITIES } from '@kelisim/identity';
import { dataSourceOptions, IdempotencyKey, OutboxEvent } from '@kelisim/platform';
import { HISTORY_ENTITIES } from '@kelisim/history';
import { REMINDER_ENTITIES } from '@kelisim/reminders';
import { NOTIFICATION_ENTITIES } from '@kelisim/notifications';
import { MEMORANDA_ENTITIES } from '@kelisim/memoranda';
import { TEMPLATE_ENTITIES } from '@kelisim/templates';
import { EVIDENCE_ENTITIES } from '@kelisim/evidence';
import { MIGRATIONS } from './index';

export const ALL_ENTITIES = [
  ...IDENTITY_ENTITIES,
  OutboxEvent,
  IdempotencyKey,
  ...HISTORY_ENTITIES,
  ...MEMORANDA_ENTITIES,
  ...REMINDER_ENTITIES,
  ...NOTIFICATION_ENTITIES,
  ...TEMPLATE_ENTITIES,
  ...EVIDENCE_ENTITIES,
];

export default new DataSource(
  dataSourceOptions(
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kelisim_schema',
    ALL_ENTITIES,
    MIGRATIONS,
  ),
);
