import { Logger } from '@nestjs/common';
import { DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Constructor = Function;

/** One definition of how Kelisim talks to PostgreSQL, shared by the app, the CLI and the tests. */
export function dataSourceOptions(
  url: string,
  entities: MixedList<Constructor | string | EntitySchema>,
  migrations: Constructor[],
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // Core gen_random_uuid() (PostgreSQL 13+), no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: 20, application_name: 'kelisim' },
    // One log line when an idle pooled connection drops (server restart, shutdown), not a stack dump.
    poolErrorHandler: (err: Error) => new Logger('Database').warn(`pool connection error: ${err.message}`),
  } as DataSourceOptions;
}
