/**
 * Boots the real API module (optionally with the worker's processors) on a private database and
 * queue prefix, with a ManualClock, for one e2e test file.
 */
import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import IORedis from 'ioredis';
import request, { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { ApiModule } from '../../apps/api/src/api.module';
import { ProcessorsModule } from '../../apps/worker/src/processors.module';
import { Clock, ManualClock } from '@kelisim/platform';
import { configureHttpApp } from '@kelisim/platform/http-app';
import { createTestDatabase, dropTestDatabase, TEST_REDIS_URL } from './databases';
import { recordCounts, validateResponse } from './openapi-validator';

// Leaves this file's count of answers checked against openapi.json for the global teardown.
if (typeof afterAll === 'function') afterAll(recordCounts);

export interface TestAppOptions {
  /** Queue backend: Redis (default, as in production) or BullMQ's PostgreSQL backend. */
  queue?: 'redis' | 'postgres';
  /** Mount the BullMQ processors in the same process. */
  withWorker?: boolean;
  clock?: ManualClock;
  env?: Record<string, string>;
}

export interface TestApp {
  app: INestApplication;
  db: DataSource;
  clock: ManualClock;
  databaseUrl: string;
  queuePrefix: string;
  /** supertest on the app; every answer is checked against openapi.json (openapi-validator.ts). */
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const queuePrefix = `kt_${randomBytes(4).toString('hex')}`;
  const queue = options.queue ?? 'redis';
  const clock = options.clock ?? new ManualClock(new Date('2021-09-20T09:00:00+05:00'));
  const overrides: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL: queue === 'redis' ? TEST_REDIS_URL : '',
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MIGRATIONS_RUN: 'true',
    // Tests try wrong passwords from one address; the login limits have their own test.
    LOGIN_RATE_LIMIT: '1000000',
    // Likewise evidence verifications (limited per address; test/hostile-input-evidence.e2e-spec.ts tests it).
    EVIDENCE_VERIFY_RATE_LIMIT: '1000000',
    LOGIN_ACCOUNT_FAILURE_LIMIT: '1000000',
    LOGIN_ACCOUNT_TOTAL_FAILURE_LIMIT: '1000000',
    ...options.env,
  };
  let app: INestApplication | undefined;
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [ApiModule.forRoot(overrides, { mount: options.withWorker ? [ProcessorsModule] : [] })],
    })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    app = moduleRef.createNestApplication({ bodyParser: false, bufferLogs: true });
    configureHttpApp(app, { bodyLimit: '1mb' });
    await app.init();
  } catch (e) {
    await app?.close().catch(() => undefined);
    await dropTestDatabase(database.name);
    throw e;
  }
  const started = app;
  return {
    app: started,
    db: started.get(DataSource),
    clock,
    databaseUrl: database.url,
    queuePrefix,
    http: () => validated(request(started.getHttpServer())),
    async close() {
      await started.close();
      await dropTestDatabase(database.name);
      if (queue === 'redis') await deleteRedisPrefix(queuePrefix);
    },
  };
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options']);

/** supertest whose every request first asserts that the answer matches the OpenAPI document. */
function validated(agent: ReturnType<typeof request>): ReturnType<typeof request> {
  return new Proxy(agent, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || !METHODS.has(prop) || typeof value !== 'function') return value;
      const method = prop === 'del' ? 'delete' : prop;
      return (url: string, ...rest: unknown[]) =>
        value.call(target, url, ...rest).expect((res: Response) => validateResponse(method, url, res));
    },
  });
}

async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
