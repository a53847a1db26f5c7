/**
 * Holes of the security review that were 500s or broke data: lone surrogates and NUL in any
 * string, deep nesting, null in PATCH, out-of-range numbers and dates. Each answers 4xx, names the
 * field, and writes nothing.
 */
import { Role } from '../libs/identity/src';
import { createAdmin, createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

describe('hardening: hostile input answers 4xx and writes nothing', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let orgId: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
    const org = await createOrganisation(t, 'Қоғамдық келісім');
    orgId = org.id;
    coordinator = await createUser(t, { fullName: 'Парида Мамедова', email: 'coordinator@kelisim.test', organisationId: orgId, roles: [Role.Coordinator] });
  });
  afterAll(() => t?.close());

  async function draft(extra: Record<string, unknown> = {}): Promise<string> {
    const res = await t.http().post('/memoranda').set(coordinator.auth).send({
      title: 'Меморандум', purpose: 'Ынтымақтастық', body: 'Мәтін', language: 'kk', coordinatingOrganisationId: orgId, ...extra,
    });
    if (res.status !== 201) throw new Error(`draft: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }
  const count = async (table: string) => Number((await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
  const raw = (method: 'post' | 'patch' | 'put', url: string, who: TestUser | null, json: string) => {
    const req = t.http()[method](url).set('Content-Type', 'application/json');
    return (who ? req.set(who.auth) : req).send(json);
  };

  describe('hole 3: a lone UTF-16 surrogate', () => {
    it('is refused in a withdrawal reason (400 naming reason), and the history chain stays valid', async () => {
      const id = await draft();
      const events = await count('history_events');
      const res = await raw('post', `/memoranda/${id}/withdraw`, coordinator, '{"reason":"bad \\ud800 reason"}');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'reason', message: expect.stringContaining('lone surrogate') }] });
      expect(await count('history_events')).toBe(events);
      const verify = await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator.auth);
      expect(verify.body.valid).toBe(true);
    });

    it('is refused in nested fields and in object keys, with the path', async () => {
      const res = await raw('post', '/memoranda', coordinator, '{"title":"x","nested":{"list":["ok","\\udc00"]},"\\ud83d":1}');
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['nested.list[1]']));
    });

    it('a well-formed pair (an emoji) and Kazakh letters pass', async () => {
      const id = await draft({ title: 'Келісім ә ғ қ ң ө ұ ү һ і \ud83e\udd1d' });
      const res = await t.http().get(`/memoranda/${id}`).set(coordinator.auth);
      expect(res.body.title).toBe('Келісім ә ғ қ ң ө ұ ү һ і 🤝');
    });
  });

  describe('hole 6: NUL characters', () => {
    it('login with NUL in the e-mail → 400, not 500 (also without signing in)', async () => {
      const res = await raw('post', '/auth/login', null, '{"email":"a\\u0000b@x.kz","password":"x"}');
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'email', message: 'must not contain NUL characters' }]);
    });

    it('the q of /users, /memoranda and /organisations → 400 naming q', async () => {
      for (const path of ['/users', '/memoranda', '/organisations']) {
        const res = await t.http().get(`${path}?q=a%00b`).set(admin.auth);
        expect({ path, status: res.status, errors: res.body.errors }).toEqual({ path, status: 400, errors: [{ field: 'q', message: 'must not contain NUL characters' }] });
      }
    });

    it('a NUL in a memorandum field writes nothing', async () => {
      const before = await count('memoranda');
      const res = await raw('post', '/memoranda', coordinator, JSON.stringify({ title: 'x\u0000y', purpose: 'p', body: 'b', language: 'kk', coordinatingOrganisationId: orgId }));
      expect(res.status).toBe(400);
      expect(await count('memoranda')).toBe(before);
    });
  });

  describe('hole 8: deep nesting', () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    it('arrays nested 1,500 deep → 400 on login and on any route', async () => {
      const login = await raw('post', '/auth/login', null, `{"email":${deep(1500)},"password":"x"}`);
      expect(login.status).toBe(400);
      expect(login.body.errors[0]).toEqual({ field: 'email', message: expect.stringContaining('nested deeper than') });
      const org = await raw('post', '/organisations', admin, `{"name":${deep(1500)}}`);
      expect(org.status).toBe(400);
    });

    it('a body 100,000 deep (200 KB) → 400', async () => {
      const res = await raw('post', '/auth/login', null, deep(100_000));
      expect(res.status).toBe(400);
    });
  });

  describe('hole 7: null in PATCH', () => {
    it('every field of users and organisations: 400 naming it, not 500; nothing changes', async () => {
      const user = await t.http().get('/me').set(coordinator.auth);
      const userRow = JSON.stringify((await t.db.query('SELECT * FROM users WHERE id = $1', [user.body.id]))[0]);
      for (const field of ['fullName', 'email', 'password', 'roles', 'language', 'active']) {
        const res = await t.http().patch(`/users/${user.body.id}`).set(admin.auth).send({ [field]: null });
        expect({ field, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ field, status: 400, fields: expect.arrayContaining([field]) });
      }
      expect(JSON.stringify((await t.db.query('SELECT * FROM users WHERE id = $1', [user.body.id]))[0])).toBe(userRow);
      const orgRow = JSON.stringify((await t.db.query('SELECT * FROM organisations WHERE id = $1', [orgId]))[0]);
      for (const field of ['name', 'shortName', 'kind', 'language', 'active']) {
        const res = await t.http().patch(`/organisations/${orgId}`).set(admin.auth).send({ [field]: null });
        expect({ field, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ field, status: 400, fields: expect.arrayContaining([field]) });
      }
      expect(JSON.stringify((await t.db.query('SELECT * FROM organisations WHERE id = $1', [orgId]))[0])).toBe(orgRow);
    });

    it('null clears the fields that may be empty (a user\'s timeZone, an organisation\'s bin and email)', async () => {
      const org = await t.http().patch(`/organisations/${orgId}`).set(admin.auth).send({ bin: '123456789012', email: 'Info@Kelisim.kz' });
      expect(org.body).toMatchObject({ bin: '123456789012', email: 'info@kelisim.kz' });
      const cleared = await t.http().patch(`/organisations/${orgId}`).set(admin.auth).send({ bin: null, email: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ bin: null, email: null });
      const user = await t.http().get('/me').set(coordinator.auth);
      const res = await t.http().patch(`/users/${user.body.id}`).set(admin.auth).send({ timeZone: null });
      expect(res.status).toBe(200);
      expect(res.body.timeZone).toBeNull();
    });
  });
});
