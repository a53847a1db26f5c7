/**
 * Login attempts are limited per client address, counted in Redis (shared by API processes), with
 * Retry-After; the limit is the same for known and unknown e-mails, and an attacker's address
 * being limited does not stop the account's owner from another address. TRUST_PROXY makes the
 * address the client's behind a reverse proxy (here X-Forwarded-For stands for the clients).
 */
import IORedis from 'ioredis';
import { Role } from '@kelisim/identity';
import { TEST_REDIS_URL } from './support/databases';
import { createOrganisation, createUser, PASSWORD, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

describe('login throttling per client address', () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_RATE_LIMIT: '4', LOGIN_RATE_WINDOW_SECONDS: '120', TRUST_PROXY: 'true' } });
    const org = await createOrganisation(t, 'Жас Отан');
    user = await createUser(t, {
      fullName: 'Айгүл Нұрлан',
      email: 'a.n@jasotan.test',
      organisationId: org.id,
      roles: [Role.Signatory],
    });
  });
  afterAll(() => t?.close());

  const attempt = (from: string, email: string, password: string) =>
    t.http().post('/auth/login').set('X-Forwarded-For', from).send({ email, password });

  it('the 5th attempt from one address → 429 login_throttled with Retry-After, for known and unknown e-mails alike', async () => {
    const from = '203.0.113.7';
    const statuses = [];
    for (const email of [user.email, 'nobody@jasotan.test', user.email, 'nobody@jasotan.test'])
      statuses.push((await attempt(from, email, 'wrong')).status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    for (const email of [user.email, 'nobody@jasotan.test']) {
      const res = await attempt(from, email, PASSWORD);
      expect(res.status).toBe(429);
      expect(res.body).toMatchObject({
        statusCode: 429,
        code: 'login_throttled',
        details: { retryAfterSeconds: expect.any(Number) },
      });
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(120);
    }
  });

  it('the owner logs in from another address meanwhile (no account lock-out)', async () => {
    const res = await attempt('198.51.100.2', user.email, PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^kls_/);
  });

  it("counts in Redis under the deployment's prefix when REDIS_URL is set", async () => {
    const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      expect((await redis.keys(`${t.queuePrefix}:throttle:*`)).length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });
});
