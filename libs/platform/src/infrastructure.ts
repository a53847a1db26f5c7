/**
 * What must exist before the Nest app is built: a PostgreSQL server (the configured one, or the
 * embedded one started here), a reachable Redis when one is configured, and BullMQ's schema when
 * the queues run on PostgreSQL.
 */
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './database/embedded-postgres';
import { Environment } from './config/environment';
import { checkRedis, migrateQueueSchema, queueBackendKind, QueueBackendKind, redactUrl } from './queues/queue-backend';

export class InfrastructureError extends Error {}

export interface Infrastructure {
  databaseUrl: string;
  backend: QueueBackendKind;
  embedded?: EmbeddedPostgresHandle;
  /** Environment overrides for the Nest app (the resolved DATABASE_URL). */
  overrides: Record<string, string>;
  stop(): Promise<void>;
}

/** `onBooting`: see startEmbeddedPostgres; called at once when the database is not embedded. */
export async function prepareInfrastructure(
  env: Environment,
  log: (line: string) => void,
  onBooting: () => void = () => undefined,
): Promise<Infrastructure> {
  let embedded: EmbeddedPostgresHandle | undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(env.DATA_DIR, log, onBooting);
    databaseUrl = embedded.url;
  } else {
    log(`Database: ${redactUrl(databaseUrl)}`);
    onBooting();
  }
  const backend = queueBackendKind(env);
  try {
    if (env.REDIS_URL) {
      const redis = await checkRedis(env.REDIS_URL);
      if (!redis.ok) {
        throw new InfrastructureError(
          `Redis at ${redactUrl(env.REDIS_URL)} is not reachable (${redis.error}). Start Redis, fix REDIS_URL, or unset REDIS_URL to run the queues on PostgreSQL.`,
        );
      }
      if (redis.maxmemoryPolicy && redis.maxmemoryPolicy !== 'noeviction') {
        log(
          `Warning: Redis maxmemory-policy is "${redis.maxmemoryPolicy}"; BullMQ needs "noeviction" or jobs may be evicted.`,
        );
      }
      log(`Queue backend: Redis at ${redactUrl(env.REDIS_URL)}`);
    } else {
      const version = await migrateQueueSchema(databaseUrl);
      log(`Queue backend: PostgreSQL (BullMQ schema version ${version})`);
    }
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
  return {
    databaseUrl,
    backend,
    embedded,
    overrides: { DATABASE_URL: databaseUrl },
    stop: async () => embedded?.stop(),
  };
}
