import { createAdmin, createUser, login, PASSWORD, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';
import { Role } from '@kelisim/identity';

describe('identity: organisations, users, login, tokens, access (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
  });
  afterAll(() => t?.close());

  it('lets an admin create an organisation and a user, who logs in, sees /me and gets 403 on admin routes', async () => {
    const org = await t.http().post('/organisations').set(admin.auth).send({
      name: '«Қоғамдық келісім» КММ Жамбыл облысы әкімдігінің ішкі саясат басқармасы',
      shortName: 'Қоғамдық келісім',
      kind: 'public_institution',
      bin: '123456789013',
      email: 'Info@Kelisim.example.KZ',
      language: 'kk',
    });
    expect(org.status).toBe(201);
    expect(org.body.name).toBe('«Қоғамдық келісім» КММ Жамбыл облысы әкімдігінің ішкі саясат басқармасы');
    expect(org.body.email).toBe('info@kelisim.example.kz');

    const user = await t
      .http()
      .post('/users')
      .set(admin.auth)
      .send({
        fullName: 'Парида Иманжановна Мамедова',
        email: 'P.Mamedova@Kelisim.example.kz',
        password: PASSWORD,
        organisationId: org.body.id,
        roles: ['coordinator'],
        language: 'ru',
      });
    expect(user.status).toBe(201);
    expect(user.body).not.toHaveProperty('passwordHash');
    expect(user.body.email).toBe('p.mamedova@kelisim.example.kz');

    const login = await t
      .http()
      .post('/auth/login')
      .send({ email: 'p.MAMEDOVA@kelisim.example.kz', password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user).toEqual({
      id: user.body.id,
      fullName: 'Парида Иманжановна Мамедова',
      email: 'p.mamedova@kelisim.example.kz',
      organisationId: org.body.id,
      roles: ['coordinator'],
      language: 'ru',
      timeZone: null,
      mustChangePassword: false,
    });
    const auth = { Authorization: `Bearer ${login.body.token}` };

    const me = await t.http().get('/me').set(auth);
    expect(me.status).toBe(200);
    expect(me.body.fullName).toBe('Парида Иманжановна Мамедова');

    const forbidden = await t
      .http()
      .post('/organisations')
      .set(auth)
      .send({ name: 'X', shortName: 'X', kind: 'other', language: 'en' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ statusCode: 403, code: 'missing_role' });
    expect((await t.http().post('/users').set(auth).send({})).status).toBe(403);
    expect(
      (
        await t
          .http()
          .patch(`/users/${user.body.id}`)
          .set(auth)
          .send({ roles: ['admin'] })
      ).status,
    ).toBe(403);

    // stored bytes are what was sent
    const [row] = await t.db.query("SELECT name, convert_to(name, 'UTF8') AS bytes FROM organisations WHERE id = $1", [
      org.body.id,
    ]);
    expect(Buffer.from(row.bytes).toString('utf8')).toBe(org.body.name);
  });

  it('refuses a second user with the same e-mail in another case', async () => {
    const org = (await t.http().get('/organisations').set(admin.auth).query({ q: 'operator' })).body.items[0];
    const res = await t
      .http()
      .post('/users')
      .set(admin.auth)
      .send({
        fullName: 'Double',
        email: 'ADMIN@kelisim.test',
        password: PASSWORD,
        organisationId: org.id,
        roles: ['supervisor'],
        language: 'en',
      });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('email_taken');
  });

  it('lists organisations and users with pagination and filters', async () => {
    for (const n of ['Жас Отан', 'Жас Ұлан', 'Жаңғыру жолы']) {
      await t
        .http()
        .post('/organisations')
        .set(admin.auth)
        .send({ name: n, shortName: n, kind: 'youth_organisation', language: 'kk' })
        .expect(201);
    }
    const page = await t
      .http()
      .get('/organisations')
      .set(admin.auth)
      .query({ kind: 'youth_organisation', pageSize: 2, page: 1 });
    expect(page.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page.body.items).toHaveLength(2);
    const search = await t.http().get('/organisations').set(admin.auth).query({ q: 'ұлан' });
    expect(search.body.items.map((o: { name: string }) => o.name)).toEqual(['Жас Ұлан']);
    const users = await t.http().get('/users').set(admin.auth).query({ role: 'admin' });
    expect(users.body.items.map((u: { email: string }) => u.email)).toEqual(['admin@kelisim.test']);
  });

  it('issues personal tokens shown once, stored hashed, revocable, with last-used time', async () => {
    const created = await t.http().post('/me/tokens').set(admin.auth).send({ name: 'CRM' });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    const [stored] = await t.db.query('SELECT token_hash FROM auth_tokens WHERE id = $1', [created.body.id]);
    expect(stored.token_hash).not.toContain(token);
    expect(
      (
        await t
          .http()
          .get('/me')
          .set({ Authorization: `Bearer ${token}` })
      ).status,
    ).toBe(200);
    const list = await t.http().get('/me/tokens').set(admin.auth);
    const listed = list.body.items.find((x: { id: string }) => x.id === created.body.id);
    expect(listed.lastUsedAt).not.toBeNull();
    expect(listed).not.toHaveProperty('token');
    await t.http().delete(`/me/tokens/${created.body.id}`).set(admin.auth).expect(204);
    const after = await t
      .http()
      .get('/me')
      .set({ Authorization: `Bearer ${token}` });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('invalid_token');
  });

  it('deactivating a user revokes their sessions and refuses their login', async () => {
    const org = (await t.http().get('/organisations').set(admin.auth).query({ q: 'Жас Отан' })).body.items[0];
    const u = await createUser(t, {
      fullName: 'Болатбек Уали',
      email: 'b.uali@jasotan.test',
      organisationId: org.id,
      roles: [Role.Signatory],
    });
    await t.http().patch(`/users/${u.id}`).set(admin.auth).send({ active: false }).expect(200);
    expect((await t.http().get('/me').set(u.auth)).status).toBe(401);
    const res = await t.http().post('/auth/login').send({ email: u.email, password: PASSWORD });
    expect(res.status).toBe(401);
  });

  it('answers alike for unknown e-mails, wrong passwords and deactivated accounts, and locks no account out', async () => {
    const org = (await t.http().get('/organisations').set(admin.auth).query({ q: 'Жас Ұлан' })).body.items[0];
    const u = await createUser(t, {
      fullName: 'Айжан Алебаева',
      email: 'a.alebaeva@jasulan.test',
      organisationId: org.id,
      roles: [Role.Signatory],
    });
    const gone = await createUser(t, {
      fullName: 'Ержан Сейіт',
      email: 'e.seyit@jasulan.test',
      organisationId: org.id,
      roles: [Role.Signatory],
    });
    await t.http().patch(`/users/${gone.id}`).set(admin.auth).send({ active: false }).expect(200);
    const answers = [];
    const tries = [
      ['nobody@jasulan.test', 'wrong password'],
      [u.email, 'wrong password'],
      [gone.email, PASSWORD],
      [gone.email, 'wrong password'],
    ];
    for (const [email, password] of tries) {
      const res = await t.http().post('/auth/login').send({ email, password });
      answers.push({ status: res.status, code: res.body.code, message: res.body.message });
    }
    expect(new Set(answers.map((x) => JSON.stringify(x))).size).toBe(1);
    expect(answers[0]).toEqual({ status: 401, code: 'invalid_credentials', message: 'Wrong e-mail or password' });
    // The test app lifts the limits on failed logins; they have their own test (test/login-throttling).
    for (let i = 0; i < 8; i++) {
      await t.http().post('/auth/login').send({ email: u.email, password: 'wrong password' }).expect(401);
    }
    expect(await login(t, u.email)).toMatch(/^kls_/);
  });

  it('deactivating an organisation locks out its users; people of other organisations stay hidden from them', async () => {
    const a = (
      await t
        .http()
        .post('/organisations')
        .set(admin.auth)
        .send({ name: 'Ассамблея', shortName: 'ҚХА', kind: 'ngo', language: 'kk' })
    ).body;
    const b = (
      await t
        .http()
        .post('/organisations')
        .set(admin.auth)
        .send({ name: 'Дулати университеті', shortName: 'ТарРУ', kind: 'university', language: 'ru' })
    ).body;
    const ua = await createUser(t, {
      fullName: 'Гүлнар Тұрсынбекова',
      email: 'g.t@assembly.test',
      organisationId: a.id,
      roles: [Role.PartyRepresentative],
    });
    const ub = await createUser(t, {
      fullName: 'Ержан Амирбекұлы',
      email: 'e.a@dulaty.test',
      organisationId: b.id,
      roles: [Role.PartyRepresentative],
    });
    expect((await t.http().get(`/users/${ub.id}`).set(ua.auth)).status).toBe(404);
    const own = await t.http().get('/users').set(ua.auth);
    expect(own.body.items.map((u: { id: string }) => u.id)).toEqual([ua.id]);

    await t.http().patch(`/organisations/${a.id}`).set(admin.auth).send({ active: false }).expect(200);
    expect((await t.http().get('/me').set(ua.auth)).status).toBe(401);
    expect((await t.http().post('/auth/login').send({ email: ua.email, password: PASSWORD })).status).toBe(401);
    expect((await t.http().get('/me').set(ub.auth)).status).toBe(200);

    // Reactivating the organisation does not bring the old tokens back (they were revoked).
    await t.http().patch(`/organisations/${a.id}`).set(admin.auth).send({ active: true }).expect(200);
    expect((await t.http().get('/me').set(ua.auth)).status).toBe(401);
    expect(await login(t, ua.email)).toMatch(/^kls_/);
  });

  it('answers 401 without a token and names the problem', async () => {
    const res = await t.http().get('/me');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, code: 'unauthorized' });
    expect(res.headers['x-request-id']).toBeDefined();
  });
});
