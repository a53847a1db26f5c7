/**
 * BullMQ is the only queue API; it runs on one of two backends and processors never know which:
 * Redis (REDIS_URL set; production) or BullMQ's PostgreSQL backend on the service's own database.
 */
import { createPostgresBackend, runMigrations, setDefaultBackendFactory } from 'bullmq';
import IORedis, { RedisOptions } from 'ioredis';
import { Client } from 'pg';

export type QueueBackendKind = 'redis' | 'postgres';

export const BULLMQ_PG_SCHEMA = 'bullmq';

export function queueBackendKind(env: { REDIS_URL?: string }): QueueBackendKind {
  return env.REDIS_URL ? 'redis' : 'postgres';
}

/** Must run before any Queue or Worker is constructed in this process. */
export function selectQueueBackend(kind: QueueBackendKind): void {
  // undefined restores BullMQ's own default (Redis).
  setDefaultBackendFactory(kind === 'postgres' ? createPostgresBackend : undefined);
}

/** The `connection` option handed to every Queue and Worker. */
export function queueConnection(env: { REDIS_URL?: string; DATABASE_URL?: string }): unknown {
  if (env.REDIS_URL) {
    const options: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true };
    return { ...options, ...redisOptionsFromUrl(env.REDIS_URL) };
  }
  return { connectionString: env.DATABASE_URL, schema: BULLMQ_PG_SCHEMA, max: 5 };
}

function redisOptionsFromUrl(url: string): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

/** Creates or upgrades BullMQ's own schema (PostgreSQL backend); idempotent and concurrency-safe. */
export async function migrateQueueSchema(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await runMigrations(client, BULLMQ_PG_SCHEMA);
  } finally {
    await client.end();
  }
}

/**
 * Answers whether the configured Redis answers, in one line fit for an operator, instead of
 * ioredis' endless reconnect stack traces.
 */
export async function checkRedis(
  url: string,
  timeoutMs = 3000,
): Promise<{ ok: true; maxmemoryPolicy?: string } | { ok: false; error: string }> {
  const redis = new IORedis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    let maxmemoryPolicy: string | undefined;
    try {
      const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
      maxmemoryPolicy = reply[1];
    } catch {
      // CONFIG may be disabled on managed Redis.
    }
    return { ok: true, maxmemoryPolicy };
  } catch (e) {
    return { ok: false, error: (e as Error).message || String(e) };
  } finally {
    redis.disconnect();
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
