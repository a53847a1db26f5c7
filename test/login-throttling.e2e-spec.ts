/**
 * Failed sign-ins are limited, successful ones are not: per e-mail from one address, per e-mail
 * from every address, and per address over every e-mail — with the default settings, counted in
 * Redis (shared by API processes), with Retry-After. The answers are the same for known and
 * unknown e-mails. TRUST_PROXY makes the address the client's behind a reverse proxy (here
 * X-Forwarded-For stands for the clients).
 */
import IORedis from 'ioredis';
import { Language, Role, UsersService } from '@kelisim/identity';
import { validateEnvironment } from '@kelisim/platform';
import { TEST_REDIS_URL } from './support/databases';
import { createOrganisation, PASSWORD } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

const DEFAULTS = validateEnvironment({});

describe('login throttling counts failures, per account and per address', () => {
  let t: TestApp;
  let organisationId: string;
  const emails: string[] = [];

  beforeAll(async () => {
    // The shipped defaults, not the test app's lifted limit.
    t = await startTestApp({
      env: {
        LOGIN_RATE_LIMIT: String(DEFAULTS.LOGIN_RATE_LIMIT),
        LOGIN_RATE_WINDOW_SECONDS: String(DEFAULTS.LOGIN_RATE_WINDOW_SECONDS),
        LOGIN_ACCOUNT_FAILURE_LIMIT: String(DEFAULTS.LOGIN_ACCOUNT_FAILURE_LIMIT),
        LOGIN_ACCOUNT_TOTAL_FAILURE_LIMIT: String(DEFAULTS.LOGIN_ACCOUNT_TOTAL_FAILURE_LIMIT),
        LOGIN_ACCOUNT_WINDOW_SECONDS: String(DEFAULTS.LOGIN_ACCOUNT_WINDOW_SECONDS),
        TRUST_PROXY: 'true',
      },
    });
    organisationId = (await createOrganisation(t, 'Жас Отан')).id;
    // Made through the service, not signed in: every sign-in of this file is one the test counts.
    const users = t.app.get(UsersService);
    for (let i = 0; i < 30; i++) {
      const email = `signatory.${i}@jasotan.test`;
      await users.create({
        fullName: `Қол қоюшы ${i}`,
        email,
        organisationId,
        roles: [Role.Signatory],
        password: PASSWORD,
        language: Language.Kazakh,
      });
      emails.push(email);
    }
  });
  afterAll(() => t?.close());

  const attempt = (from: string, email: string, password: string, path = '/auth/login') =>
    t.http().post(path).set('X-Forwarded-For', from).send({ email, password });

  /** The answer without what differs between any two requests (request id, seconds to wait). */
  const shape = (res: { status: number; body: Record<string, unknown>; headers: Record<string, string> }) => ({
    status: res.status,
    body: JSON.stringify({ ...res.body, requestId: undefined }).replace(/\d+/g, 'N'),
    retryAfter: res.headers['retry-after'] === undefined ? 'none' : 'set',
  });

  it('30 valid users signing in from one address in a burst all get 200, and again a moment later', async () => {
    const from = '203.0.113.30';
    for (const round of [1, 2]) {
      const answers = await Promise.all(
        emails.map((email, i) => attempt(from, email, PASSWORD, i % 2 ? '/auth/session' : '/auth/login')),
      );
      expect({ round, statuses: answers.map((a) => a.status) }).toEqual({ round, statuses: emails.map(() => 200) });
    }
  });

  it('repeated wrong passwords for one account → 429 with Retry-After; another account from the same address signs in', async () => {
    const from = '203.0.113.41';
    const [victim, colleague] = [emails[0], emails[1]];
    const statuses = [];
    for (let i = 0; i < DEFAULTS.LOGIN_ACCOUNT_FAILURE_LIMIT; i++)
      statuses.push((await attempt(from, victim, 'wrong')).status);
    expect(statuses).toEqual(statuses.map(() => 401));
    // Even the right password: the guesser must not learn it by the answer.
    const locked = await attempt(from, victim, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({
      statusCode: 429,
      code: 'login_throttled',
      details: { retryAfterSeconds: expect.any(Number) },
    });
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(DEFAULTS.LOGIN_ACCOUNT_WINDOW_SECONDS);
    expect((await attempt(from, colleague, PASSWORD)).status).toBe(200);
    // The owner, elsewhere, is not locked out by one address's failures.
    expect((await attempt('198.51.100.2', victim, PASSWORD)).status).toBe(200);
  });

  it('parallel wrong guesses for one account get no more than the limit of answers 401', async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 * DEFAULTS.LOGIN_ACCOUNT_FAILURE_LIMIT }, () =>
        attempt('203.0.113.42', emails[2], 'wrong'),
      ),
    );
    const count = (status: number) => answers.filter((a) => a.status === status).length;
    expect({ 401: count(401), 429: count(429) }).toEqual({
      401: DEFAULTS.LOGIN_ACCOUNT_FAILURE_LIMIT,
      429: 3 * DEFAULTS.LOGIN_ACCOUNT_FAILURE_LIMIT,
    });
  });

  it('guessing one account from many addresses → 429 for it from everywhere, until the window ends', async () => {
    const victim = emails[3];
    const perAddress = DEFAULTS.LOGIN_ACCOUNT_FAILURE_LIMIT;
    const addresses = Math.ceil(DEFAULTS.LOGIN_ACCOUNT_TOTAL_FAILURE_LIMIT / perAddress);
    expect(addresses).toBeGreaterThan(1);
    let failures = 0;
    for (let a = 0; a < addresses; a++)
      for (let i = 0; i < perAddress && failures < DEFAULTS.LOGIN_ACCOUNT_TOTAL_FAILURE_LIMIT; i++, failures++)
        expect((await attempt(`192.0.2.${a + 1}`, victim, 'wrong')).status).toBe(401);
    expect((await attempt('192.0.2.200', victim, PASSWORD)).status).toBe(429);
    expect((await attempt('192.0.2.200', emails[4], PASSWORD)).status).toBe(200);
  });

  it('many wrong passwords across accounts from one address → eventually 429 for that address', async () => {
    const from = '203.0.113.50';
    const statuses = [];
    for (let i = 0; i < DEFAULTS.LOGIN_RATE_LIMIT; i++)
      statuses.push((await attempt(from, `guess.${i}@jasotan.test`, 'wrong')).status);
    expect(statuses).toEqual(statuses.map(() => 401));
    const refused = await attempt(from, emails[5], PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(DEFAULTS.LOGIN_RATE_WINDOW_SECONDS);
    expect((await attempt('198.51.100.3', emails[5], PASSWORD)).status).toBe(200);
  });

  it('an unknown e-mail answers exactly as a wrong password, before and at the limit', async () => {
    const from = '203.0.113.60';
    const known: ReturnType<typeof shape>[] = [];
    const unknown: ReturnType<typeof shape>[] = [];
    for (let i = 0; i <= DEFAULTS.LOGIN_ACCOUNT_FAILURE_LIMIT; i++) {
      known.push(shape(await attempt(from, emails[6], 'wrong')));
      unknown.push(shape(await attempt(from, 'nobody@jasotan.test', 'wrong')));
    }
    expect(unknown).toEqual(known);
    expect(known.map((k) => k.status)).toEqual([...known.slice(1).map(() => 401), 429]);
  });

  it("counts in Redis under the deployment's prefix when REDIS_URL is set", async () => {
    const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      expect((await redis.keys(`${t.queuePrefix}:login-failures:*`)).length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });
});
