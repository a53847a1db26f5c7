/**
 * Readiness reflects what the API needs to serve: the database, not Redis. A private redis-server
 * is killed under a running API: /health/ready stays 200 and reports the queue down while a
 * memorandum is still drafted and read; when Redis is back the queue is up again. With the
 * database refusing connections, readiness is 503 `not_ready`, naming each check.
 */
import { Role } from '@kelisim/identity';
import { admin } from '../support/databases';
import { createOrganisation, createUser, TestUser } from '../support/identity';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from './harness';
import { PrivateRedis, sparePort } from './redis';

describe('fault: readiness with Redis or the database down', () => {
  let t: TestApp;
  let redis: PrivateRedis;
  let coordinator: TestUser;
  let organisationId: string;

  beforeAll(async () => {
    redis = new PrivateRedis(await sparePort());
    await redis.start();
    t = await startTestApp({ queue: 'redis', env: { REDIS_URL: redis.url } });
    organisationId = (await createOrganisation(t, 'Үйлестіруші ұйым')).id;
    coordinator = await createUser(t, {
      fullName: 'Үйлестіруші',
      email: 'coordinator@ready.test',
      organisationId,
      roles: [Role.Coordinator],
    });
  });
  afterAll(async () => {
    await redis?.start().catch(() => undefined); // the app closes its queues cleanly only against a live Redis
    await t?.close();
    await redis?.kill();
  });

  const databaseName = () => new URL(t.databaseUrl).pathname.slice(1);

  it('stays ready with Redis down, says the queue is down, and still serves writes', async () => {
    const before = await t.http().get('/health/ready').expect(200);
    expect(before.body).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, queue: { status: 'up', backend: 'redis' } },
    });
    expect(before.body.error).toBeUndefined();

    await redis.kill();
    const down = await t.http().get('/health/ready').expect(200);
    expect(down.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' } },
      error: { queue: { status: 'down', backend: 'redis', error: expect.any(String) } },
      details: { database: { status: 'up' }, queue: { status: 'down' } },
    });

    const draft = await t.http().post('/memoranda').set(coordinator.auth).send({
      title: 'Redis жоқ кезде',
      purpose: 'Дайындық',
      body: 'Мәтін',
      language: 'kk',
      coordinatingOrganisationId: organisationId,
    });
    expect(draft.status).toBe(201);
    const read = await t.http().get(`/memoranda/${draft.body.id}`).set(coordinator.auth).expect(200);
    expect(read.body.title).toBe('Redis жоқ кезде');

    await redis.start();
    const back = await waitFor('the queue up again', async () => {
      const res = await t.http().get('/health/ready').expect(200);
      return res.body.details.queue.status === 'up' ? res.body : undefined;
    });
    expect(back.error).toBeUndefined();
  });

  it('is 503 not_ready, naming each check, while the database refuses connections', async () => {
    const name = databaseName();
    await admin(async (c) => {
      await c.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
    });
    try {
      const res = await t.http().get('/health/ready').expect(503);
      expect(res.body).toMatchObject({
        statusCode: 503,
        code: 'not_ready',
        details: { checks: { database: { status: 'down' }, queue: { status: 'up' } } },
      });
    } finally {
      await admin((c) => c.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`));
    }
    await waitFor('the database back', async () => (await t.http().get('/health/ready')).status === 200);
  });
});
