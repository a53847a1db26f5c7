/**
 * Holes of the security review that were 500s or broke data: lone surrogates and NUL in any
 * string, deep nesting, null in PATCH, out-of-range numbers and dates. Each answers 4xx, names the
 * field, and writes nothing.
 */
import { Role } from '@kelisim/identity';
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
    coordinator = await createUser(t, {
      fullName: 'Парида Мамедова',
      email: 'coordinator@kelisim.test',
      organisationId: orgId,
      roles: [Role.Coordinator],
    });
  });
  afterAll(() => t?.close());

  async function draft(extra: Record<string, unknown> = {}): Promise<string> {
    const res = await t
      .http()
      .post('/memoranda')
      .set(coordinator.auth)
      .send({
        title: 'Меморандум',
        purpose: 'Ынтымақтастық',
        body: 'Мәтін',
        language: 'kk',
        coordinatingOrganisationId: orgId,
        ...extra,
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
      expect(res.body).toMatchObject({
        code: 'validation_failed',
        errors: [{ field: 'reason', message: expect.stringContaining('lone surrogate') }],
      });
      expect(await count('history_events')).toBe(events);
      const verify = await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator.auth);
      expect(verify.body.valid).toBe(true);
    });

    it('is refused in nested fields and in object keys, with the path', async () => {
      const res = await raw(
        'post',
        '/memoranda',
        coordinator,
        '{"title":"x","nested":{"list":["ok","\\udc00"]},"\\ud83d":1}',
      );
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(['nested.list[1]']),
      );
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
        expect({ path, status: res.status, errors: res.body.errors }).toEqual({
          path,
          status: 400,
          errors: [{ field: 'q', message: 'must not contain NUL characters' }],
        });
      }
    });

    it('a NUL in a memorandum field writes nothing', async () => {
      const before = await count('memoranda');
      const res = await raw(
        'post',
        '/memoranda',
        coordinator,
        JSON.stringify({
          title: 'x\u0000y',
          purpose: 'p',
          body: 'b',
          language: 'kk',
          coordinatingOrganisationId: orgId,
        }),
      );
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
        const res = await t
          .http()
          .patch(`/users/${user.body.id}`)
          .set(admin.auth)
          .send({ [field]: null });
        expect({ field, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
          field,
          status: 400,
          fields: expect.arrayContaining([field]),
        });
      }
      expect(JSON.stringify((await t.db.query('SELECT * FROM users WHERE id = $1', [user.body.id]))[0])).toBe(userRow);
      const orgRow = JSON.stringify((await t.db.query('SELECT * FROM organisations WHERE id = $1', [orgId]))[0]);
      for (const field of ['name', 'shortName', 'kind', 'language', 'active']) {
        const res = await t
          .http()
          .patch(`/organisations/${orgId}`)
          .set(admin.auth)
          .send({ [field]: null });
        expect({ field, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
          field,
          status: 400,
          fields: expect.arrayContaining([field]),
        });
      }
      expect(JSON.stringify((await t.db.query('SELECT * FROM organisations WHERE id = $1', [orgId]))[0])).toBe(orgRow);
    });

    it("null clears the fields that may be empty (a user's timeZone, an organisation's bin and email)", async () => {
      const org = await t
        .http()
        .patch(`/organisations/${orgId}`)
        .set(admin.auth)
        .send({ bin: '123456789013', email: 'Info@Kelisim.kz' });
      expect(org.body).toMatchObject({ bin: '123456789013', email: 'info@kelisim.kz' });
      const cleared = await t.http().patch(`/organisations/${orgId}`).set(admin.auth).send({ bin: null, email: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ bin: null, email: null });
      const user = await t.http().get('/me').set(coordinator.auth);
      const res = await t.http().patch(`/users/${user.body.id}`).set(admin.auth).send({ timeZone: null });
      expect(res.status).toBe(200);
      expect(res.body.timeZone).toBeNull();
    });
  });

  describe('hole 9: out of range', () => {
    it('a revision number past the integer column → 400 naming it (also in a diff)', async () => {
      const id = await draft();
      for (const url of [
        `/memoranda/${id}/revisions/2147483648`,
        `/memoranda/${id}/revisions/1/diff/2147483648`,
        `/memoranda/${id}/revisions/0`,
        `/memoranda/${id}/revisions/-1`,
      ]) {
        const res = await t.http().get(url).set(coordinator.auth);
        expect({ url, status: res.status, code: res.body.code }).toEqual({
          url,
          status: 400,
          code: 'validation_failed',
        });
      }
    });

    it('?page=1e20 on the inbox, webhook deliveries and lists → 400 naming page', async () => {
      const hook = await t.db.query(
        `INSERT INTO webhooks (organisation_id, url, events, secret, created_by) VALUES ($1, 'https://example.kz/h', '{*}', 'sealed', $2) RETURNING id`,
        [orgId, (await t.http().get('/me').set(coordinator.auth)).body.id],
      );
      const urls = ['/me/notifications?page=1e20', '/memoranda?page=1e20', '/users?page=1e20'];
      urls.push(`/webhooks/${hook[0].id}/deliveries?page=1e20`);
      for (const url of urls) {
        const res = await t
          .http()
          .get(url)
          .set(url.startsWith('/users') ? admin.auth : coordinator.auth);
        expect({ url, status: res.status, field: res.body.errors?.[0]?.field }).toEqual({
          url,
          status: 400,
          field: 'page',
        });
      }
    });

    it('dates in year 0 or 9999, and impossible dates → 400 naming the field; nothing written', async () => {
      const before = await count('memoranda');
      for (const [field, value] of [
        ['effectiveDate', '0000-01-01'],
        ['endDate', '9999-12-31'],
        ['effectiveDate', '2021-02-30'],
      ]) {
        const res = await t
          .http()
          .post('/memoranda')
          .set(coordinator.auth)
          .send({
            title: 't',
            purpose: 'p',
            body: 'b',
            language: 'kk',
            coordinatingOrganisationId: orgId,
            [field]: value,
          });
        expect({ value, status: res.status, field: res.body.errors?.[0]?.field }).toEqual({
          value,
          status: 400,
          field,
        });
      }
      expect(await count('memoranda')).toBe(before);
    });
  });

  describe('hole 9: terms that are over', () => {
    let other: TestUser;
    let own: TestUser;
    let otherOrgId: string;
    beforeAll(async () => {
      otherOrgId = (await createOrganisation(t, 'Жас Отан')).id;
      own = await createUser(t, {
        fullName: 'Серік Сейітжан',
        email: 'own@kelisim.test',
        organisationId: orgId,
        roles: [Role.PartyRepresentative, Role.Signatory],
      });
      other = await createUser(t, {
        fullName: 'Айгүл Нұрлан',
        email: 'other@jasotan.test',
        organisationId: otherOrgId,
        roles: [Role.PartyRepresentative, Role.Signatory],
      });
    });
    const relogin = async () => {
      for (const u of [coordinator, own, other]) {
        const res = await t.http().post('/auth/login').send({ email: u.email, password: 'Келісім-2021-Тараз' });
        u.token = res.body.token;
        u.auth = { Authorization: `Bearer ${u.token}` };
      }
    };
    async function toSigning(endDate: string): Promise<string> {
      const id = await draft({ endDate });
      for (const organisationId of [orgId, otherOrgId]) {
        expect(
          (
            await t
              .http()
              .post(`/memoranda/${id}/parties`)
              .set(coordinator.auth)
              .send({ organisationId, role: 'signatory' })
          ).status,
        ).toBe(201);
      }
      const hash = (await t.http().post(`/memoranda/${id}/submit`).set(coordinator.auth).send({})).body.currentRevision
        .hash;
      for (const u of [own, other])
        expect(
          (
            await t
              .http()
              .post(`/memoranda/${id}/approvals`)
              .set(u.auth)
              .send({ decision: 'approve', revisionHash: hash })
          ).status,
        ).toBe(201);
      expect(
        (await t.http().post(`/memoranda/${id}/open-signing`).set(coordinator.auth).send({ mode: 'parallel' })).status,
      ).toBe(200);
      return id;
    }
    const sign = (id: string, u: TestUser, name: string, hash: string) =>
      t
        .http()
        .post(`/memoranda/${id}/signatures`)
        .set(u.auth)
        .send({ method: 'electronic', revisionHash: hash, typedName: name, consent: true });

    it('executing a memorandum whose end date has passed → 409 term_ended; nothing written', async () => {
      t.clock.set('2021-09-20T09:00:00+05:00');
      await relogin();
      const id = await toSigning('2021-10-01');
      const hash = (await t.http().get(`/memoranda/${id}`).set(coordinator.auth)).body.currentRevision.hash;
      expect((await sign(id, own, 'Серік Сейітжан', hash)).status).toBe(201);
      t.clock.set('2021-10-02T09:00:00+05:00');
      await relogin();
      const signatures = await count('memorandum_signatures');
      const res = await sign(id, other, 'Айгүл Нұрлан', hash);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'term_ended', details: { endDate: '2021-10-01' } });
      expect(await count('memorandum_signatures')).toBe(signatures);
      expect((await t.http().get(`/memoranda/${id}`).set(coordinator.auth)).body.status).toBe('signing');
    });

    it('a termination dated before the memorandum existed (1900-01-01) → 422; year 0 → 400', async () => {
      t.clock.set('2021-09-20T09:00:00+05:00');
      await relogin();
      const id = await toSigning('2022-10-01');
      const hash = (await t.http().get(`/memoranda/${id}`).set(coordinator.auth)).body.currentRevision.hash;
      expect((await sign(id, own, 'Серік Сейітжан', hash)).status).toBe(201);
      expect((await sign(id, other, 'Айгүл Нұрлан', hash)).status).toBe(201);
      expect((await t.http().get(`/memoranda/${id}`).set(coordinator.auth)).body.status).toBe('active');
      const early = await t
        .http()
        .post(`/memoranda/${id}/terminate`)
        .set(coordinator.auth)
        .send({ reason: 'r', effectiveDate: '1900-01-01' });
      expect(early.status).toBe(422);
      expect(early.body).toMatchObject({ code: 'invalid_termination_date', errors: [{ field: 'effectiveDate' }] });
      const zero = await t
        .http()
        .post(`/memoranda/${id}/terminate`)
        .set(coordinator.auth)
        .send({ reason: 'r', effectiveDate: '0000-01-01' });
      expect(zero.status).toBe(400);
      expect((await t.http().get(`/memoranda/${id}`).set(coordinator.auth)).body.status).toBe('active');
    });

    it("privacy: a signer's IP and user agent are shown to the coordinator and admins, not to parties", async () => {
      t.clock.set('2021-09-20T09:00:00+05:00');
      await relogin();
      const id = await toSigning('2022-10-01');
      const hash = (await t.http().get(`/memoranda/${id}`).set(coordinator.auth)).body.currentRevision.hash;
      await t
        .http()
        .post(`/memoranda/${id}/signatures`)
        .set(own.auth)
        .set('User-Agent', 'Kelisim-Test/1')
        .send({ method: 'electronic', revisionHash: hash, typedName: 'Серік Сейітжан', consent: true })
        .expect(201);
      const seen = async (u: TestUser) => (await t.http().get(`/memoranda/${id}/signatures`).set(u.auth)).body.items[0];
      expect(await seen(coordinator)).toMatchObject({ ipAddress: expect.any(String), userAgent: 'Kelisim-Test/1' });
      expect(await seen(admin)).toMatchObject({ userAgent: 'Kelisim-Test/1' });
      for (const party of [own, other]) {
        const item = await seen(party);
        expect(item.signerName).toBe('Серік Сейітжан');
        expect(item).not.toHaveProperty('ipAddress');
        expect(item).not.toHaveProperty('userAgent');
      }
    });
  });
});
