import { randomUUID } from 'node:crypto';
import { Role } from '@kelisim/identity';
import { createAdmin, createUser, login, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

describe('Idempotency-Key on state-changing POSTs (real PostgreSQL)', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
  });
  afterAll(() => t?.close());

  /** A new session token: moving the clock by hours expires the old one. */
  const fresh = async () => ({ Authorization: `Bearer ${await login(t, admin.email)}` });
  const organisation = (name: string) => ({
    name,
    shortName: name.slice(0, 100),
    kind: 'youth_organisation',
    language: 'kk',
  });
  const countOrganisations = async (name: string) =>
    Number((await t.db.query('SELECT count(*) AS n FROM organisations WHERE name = $1', [name]))[0].n);

  it('runs the first request and replays its answer for a repeat, creating one row only', async () => {
    const key = `org-${randomUUID()}`;
    const body = organisation('«Жас Ұлан» Жамбыл облысы');
    const first = await t.http().post('/organisations').set(admin.auth).set('Idempotency-Key', key).send(body);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    // Same body with keys in another order is the same request.
    const again = await t
      .http()
      .post('/organisations')
      .set(admin.auth)
      .set('Idempotency-Key', key)
      .send({ language: 'kk', kind: 'youth_organisation', shortName: body.shortName, name: body.name });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await countOrganisations(body.name)).toBe(1);

    const [row] = await t.db.query(
      'SELECT scope, method, path, status, response_status FROM idempotency_keys WHERE key = $1',
      [key],
    );
    expect(row).toEqual({
      scope: admin.id,
      method: 'POST',
      path: '/organisations',
      status: 'completed',
      response_status: 201,
    });
  });

  it('answers 422 idempotency_key_reused for the same key with another body or on another path', async () => {
    const key = `reuse-${randomUUID()}`;
    await t
      .http()
      .post('/organisations')
      .set(admin.auth)
      .set('Idempotency-Key', key)
      .send(organisation('Jas Otan Тараз'))
      .expect(201);
    const otherBody = await t
      .http()
      .post('/organisations')
      .set(admin.auth)
      .set('Idempotency-Key', key)
      .send(organisation('Jas Otan Шу'));
    expect(otherBody.status).toBe(422);
    expect(otherBody.body).toMatchObject({ statusCode: 422, code: 'idempotency_key_reused' });
    const otherPath = await t
      .http()
      .post('/users')
      .set(admin.auth)
      .set('Idempotency-Key', key)
      .send({
        fullName: 'Болатбек Уәли',
        email: 'b.uali@jasotan.test',
        password: 'long-enough-password',
        organisationId: admin.organisationId,
        roles: ['signatory'],
        language: 'ru',
      });
    expect(otherPath.status).toBe(422);
    expect(otherPath.body.code).toBe('idempotency_key_reused');
    expect(await countOrganisations('Jas Otan Шу')).toBe(0);
    expect(await t.db.query(`SELECT 1 FROM users WHERE email = 'b.uali@jasotan.test'`)).toHaveLength(0);
  });

  it('refuses malformed keys with 400 naming the header, and leaves requests without a key alone', async () => {
    for (const bad of ['', 'with space', 'k'.repeat(201), 'a/b', 'key!']) {
      const res = await t
        .http()
        .post('/organisations')
        .set(admin.auth)
        .set('Idempotency-Key', bad)
        .send(organisation('Bad key'));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_idempotency_key');
      expect(res.body.message).toContain('Idempotency-Key');
    }
    expect(await countOrganisations('Bad key')).toBe(0);
    await t
      .http()
      .post('/organisations')
      .set(admin.auth)
      .set('Idempotency-Key', 'k'.repeat(200))
      .send(organisation('Long key'))
      .expect(201);
    const a = await t.http().post('/organisations').set(admin.auth).send(organisation('No key'));
    const b = await t.http().post('/organisations').set(admin.auth).send(organisation('No key'));
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('scopes keys per user: the same key of two users runs twice', async () => {
    const org = (
      await t.http().post('/organisations').set(admin.auth).send(organisation('ТарРУ им. Дулати')).expect(201)
    ).body;
    const other = await createUser(t, {
      fullName: 'Ержан Амирбекұлы',
      email: 'e.amirbekuly@dulaty.test',
      organisationId: org.id,
      roles: [Role.Admin],
    });
    const key = 'shared-key-1';
    const mine = await t
      .http()
      .post('/organisations')
      .set(admin.auth)
      .set('Idempotency-Key', key)
      .send(organisation('Shared key'));
    const theirs = await t
      .http()
      .post('/organisations')
      .set(other.auth)
      .set('Idempotency-Key', key)
      .send(organisation('Shared key'));
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('stores and replays client errors (4xx) too', async () => {
    const key = `bad-${randomUUID()}`;
    const first = await t
      .http()
      .post('/organisations')
      .set(admin.auth)
      .set('Idempotency-Key', key)
      .send({ name: 'Без вида', shortName: 'x', kind: 'spaceship', language: 'kk' });
    expect(first.status).toBe(400);
    expect(first.body.code).toBe('validation_failed');
    const again = await t
      .http()
      .post('/organisations')
      .set(admin.auth)
      .set('Idempotency-Key', key)
      .send({ name: 'Без вида', shortName: 'x', kind: 'spaceship', language: 'kk' });
    expect(again.status).toBe(400);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('forgets the key after a server error so that a retry runs', async () => {
    const key = `retry-${randomUUID()}`;
    const body = organisation('Жаңғыру жолы штабы');
    await t.db.query('ALTER TABLE organisations RENAME TO organisations_away');
    let failed;
    try {
      failed = await t.http().post('/organisations').set(admin.auth).set('Idempotency-Key', key).send(body);
    } finally {
      await t.db.query('ALTER TABLE organisations_away RENAME TO organisations');
    }
    expect(failed.status).toBe(500);
    expect(await t.db.query('SELECT 1 FROM idempotency_keys WHERE key = $1', [key])).toHaveLength(0);
    const retry = await t.http().post('/organisations').set(admin.auth).set('Idempotency-Key', key).send(body);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await countOrganisations(body.name)).toBe(1);
  });

  it('lets parallel duplicates create exactly one row; the others replay or get 409, never 500', async () => {
    const key = `parallel-${randomUUID()}`;
    const body = organisation('Ассамблея народа Казахстана Жамбылской области');
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        t.http().post('/organisations').set(admin.auth).set('Idempotency-Key', key).send(body),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(created.filter((a) => a.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.code).toBe('idempotency_in_progress');
    expect(await countOrganisations(body.name)).toBe(1);
  });

  it('answers 409 while the first request is in progress, and lets a retry take over a stale attempt after 5 minutes', async () => {
    const key = `stale-${randomUUID()}`;
    await t
      .http()
      .post('/organisations')
      .set(admin.auth)
      .set('Idempotency-Key', key)
      .send(organisation('Stale'))
      .expect(201);
    // Make it look like a request that is still running (or whose process died).
    await t.db.query(
      `UPDATE idempotency_keys SET status = 'in_progress', response_status = NULL, response_body = NULL WHERE key = $1`,
      [key],
    );
    const busy = await t
      .http()
      .post('/organisations')
      .set(admin.auth)
      .set('Idempotency-Key', key)
      .send(organisation('Stale'));
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe('idempotency_in_progress');
    t.clock.advance(5 * 60 * 1000 + 1);
    const taken = await t
      .http()
      .post('/organisations')
      .set(await fresh())
      .set('Idempotency-Key', key)
      .send(organisation('Stale'));
    expect(taken.status).toBe(201);
    expect(taken.headers['idempotent-replayed']).toBeUndefined();
    expect(await countOrganisations('Stale')).toBe(2);
  });

  it('expires keys after 24 hours: the same key then runs a new request', async () => {
    const key = `expiring-${randomUUID()}`;
    const first = await t
      .http()
      .post('/organisations')
      .set(admin.auth)
      .set('Idempotency-Key', key)
      .send(organisation('Daily'));
    expect(first.status).toBe(201);
    t.clock.advance(23 * 3600 * 1000);
    const auth = await fresh();
    const within = await t
      .http()
      .post('/organisations')
      .set(auth)
      .set('Idempotency-Key', key)
      .send(organisation('Daily'));
    expect(within.headers['idempotent-replayed']).toBe('true');
    expect(within.body.id).toBe(first.body.id);
    t.clock.advance(3600 * 1000 + 1);
    const after = await t
      .http()
      .post('/organisations')
      .set(await fresh())
      .set('Idempotency-Key', key)
      .send(organisation('Daily'));
    expect(after.status).toBe(201);
    expect(after.headers['idempotent-replayed']).toBeUndefined();
    expect(after.body.id).not.toBe(first.body.id);
  });

  it('refuses Idempotency-Key where the answer carries a secret, so no token is ever stored in plain text', async () => {
    const key = `secret-${randomUUID()}`;
    const auth = await fresh();
    const token = await t.http().post('/me/tokens').set(auth).set('Idempotency-Key', key).send({ name: 'CRM' });
    expect(token.status).toBe(400);
    expect(token.body.code).toBe('idempotency_not_supported');
    const login = await t
      .http()
      .post('/auth/login')
      .set('Idempotency-Key', key)
      .send({ email: admin.email, password: 'whatever-password' });
    expect(login.status).toBe(400);
    expect(login.body.code).toBe('idempotency_not_supported');
    expect(
      (await t.http().get('/me/tokens').set(auth)).body.items.filter((x: { name: string }) => x.name === 'CRM'),
    ).toHaveLength(0);
    const stored = await t.db.query(
      `SELECT response_body::text AS body FROM idempotency_keys WHERE response_body::text ~ 'kl[sp]_'`,
    );
    expect(stored).toEqual([]);
  });
});
