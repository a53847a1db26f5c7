/**
 * What an admin does for people, and people for themselves: an admin's password reset (a
 * temporary password that must be changed: until then the session may only change it), one's own
 * password change (the current one required), moving a user to another organisation, editing an
 * organisation's name and BIN, and system organisations (never offered as parties). Every
 * change of password or organisation ends the user's sessions and tokens.
 */
import { Role } from '@kelisim/identity';
import { createAdmin, createOrganisation, createUser, login, PASSWORD, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

describe('admin and profile: passwords, users, organisations (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;
  let representative: TestUser;
  let orgId: string;
  let otherOrgId: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
    orgId = (await createOrganisation(t, 'Қоғамдық келісім')).id;
    otherOrgId = (await createOrganisation(t, 'Жастар саясаты басқармасы')).id;
    coordinator = await createUser(t, {
      fullName: 'Парида Мамедова',
      email: 'coordinator@kelisim.test',
      organisationId: orgId,
      roles: [Role.Coordinator],
    });
    representative = await createUser(t, {
      fullName: 'Айгүл Сәрсенова',
      email: 'youth@kelisim.test',
      organisationId: otherOrgId,
      roles: [Role.PartyRepresentative],
    });
  });
  afterAll(() => t?.close());

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  describe('POST /users/{id}/password-reset', () => {
    it('only an admin resets, never their own password, and names a bad id', async () => {
      const target = `/users/${representative.id}/password-reset`;
      expect((await t.http().post(target)).status).toBe(401);
      const byCoordinator = await t.http().post(target).set(coordinator.auth);
      expect([byCoordinator.status, byCoordinator.body.code]).toEqual([403, 'missing_role']);
      const byHimself = await t.http().post(target).set(representative.auth);
      expect([byHimself.status, byHimself.body.code]).toEqual([403, 'missing_role']);
      const own = await t.http().post(`/users/${admin.id}/password-reset`).set(admin.auth);
      expect([own.status, own.body.code]).toEqual([409, 'own_password_reset']);
      const unknown = await t.http().post('/users/6b1f0c55-8d0e-4a43-9a57-2f3a1e0d0000/password-reset').set(admin.auth);
      expect(unknown.status).toBe(404);
      const bad = await t.http().post('/users/not-a-uuid/password-reset').set(admin.auth);
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
      // Nothing of that changed the representative's password or sessions.
      expect((await t.http().get('/me').set(representative.auth)).status).toBe(200);
      const replay = await t.http().post(target).set(admin.auth).set('Idempotency-Key', 'reset-1');
      expect([replay.status, replay.body.code]).toEqual([400, 'idempotency_not_supported']);
    });

    it('gives a temporary password once; the old password and every session stop; only a change is allowed until it is made', async () => {
      const person = await createUser(t, {
        fullName: 'Ерлан Жұмабеков',
        email: 'zhangyru@kelisim.test',
        organisationId: otherOrgId,
        roles: [Role.PartyRepresentative, Role.Signatory],
      });
      const personal = await t.http().post('/me/tokens').set(person.auth).send({ name: 'CRM' }).expect(201);

      const reset = await t.http().post(`/users/${person.id}/password-reset`).set(admin.auth);
      expect(reset.status).toBe(200);
      const temporary = reset.body.temporaryPassword as string;
      expect(temporary).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(reset.body).toEqual({ temporaryPassword: temporary });

      expect((await t.http().get('/me').set(person.auth)).status).toBe(401);
      expect((await t.http().get('/me').set(bearer(personal.body.token))).status).toBe(401);
      expect((await t.http().post('/auth/login').send({ email: person.email, password: PASSWORD })).status).toBe(401);
      const listed = await t.http().get(`/users/${person.id}`).set(admin.auth).expect(200);
      expect(listed.body.mustChangePassword).toBe(true);

      const signedIn = await t.http().post('/auth/login').send({ email: person.email, password: temporary });
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.user.mustChangePassword).toBe(true);
      const temp = bearer(signedIn.body.token);
      const me = await t.http().get('/me').set(temp).expect(200);
      expect(me.body).toMatchObject({ id: person.id, mustChangePassword: true });
      for (const [method, path] of [
        ['get', '/memoranda'],
        ['get', '/me/notifications'],
        ['post', '/me/tokens'],
        ['patch', '/me'],
        ['get', `/users/${person.id}`],
      ] as const) {
        const refused = await t
          .http()
          [method](path)
          .set(temp)
          .send(method === 'get' ? undefined : { name: 'x' });
        expect([path, refused.status, refused.body.code]).toEqual([path, 403, 'password_change_required']);
      }

      const wrong = await t
        .http()
        .post('/me/password')
        .set(temp)
        .send({ currentPassword: 'not the password', newPassword: 'Жаңа-құпия-сөз-2026' });
      expect(wrong.status).toBe(422);
      expect(wrong.body.errors).toEqual([{ field: 'currentPassword', message: 'is not your current password' }]);
      const same = await t
        .http()
        .post('/me/password')
        .set(temp)
        .send({ currentPassword: temporary, newPassword: temporary });
      expect(same.status).toBe(422);
      expect(same.body.errors).toEqual([{ field: 'newPassword', message: 'must differ from the current password' }]);
      const short = await t
        .http()
        .post('/me/password')
        .set(temp)
        .send({ currentPassword: temporary, newPassword: 'short' });
      expect(short.status).toBe(400);
      expect(short.body.errors).toEqual([{ field: 'newPassword', message: 'must be at least 10 characters long' }]);
      const missing = await t.http().post('/me/password').set(temp).send({ newPassword: 'Жаңа-құпия-сөз-2026' });
      expect(missing.status).toBe(400);
      expect(new Set(missing.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['currentPassword']));
      // Refusals changed nothing: the temporary password still signs in, the session still may only change it.
      expect((await t.http().get('/memoranda').set(temp)).status).toBe(403);

      const changed = await t
        .http()
        .post('/me/password')
        .set(temp)
        .send({ currentPassword: temporary, newPassword: 'Жаңа-құпия-сөз-2026' });
      expect(changed.status).toBe(200);
      expect(changed.body.user).toMatchObject({ id: person.id, mustChangePassword: false });
      expect(changed.body.csrfToken).toBeUndefined();
      expect(changed.headers['set-cookie']).toBeUndefined();
      const fresh = bearer(changed.body.token);
      expect((await t.http().get('/me').set(temp)).status).toBe(401);
      expect((await t.http().get('/memoranda').set(fresh)).status).toBe(200);
      expect((await t.http().post('/auth/login').send({ email: person.email, password: temporary })).status).toBe(401);
      const again = await login(t, person.email, 'Жаңа-құпия-сөз-2026');
      expect((await t.http().get('/me').set(bearer(again))).body.mustChangePassword).toBe(false);
    });
  });

  describe('POST /me/password', () => {
    it('a browser session gets a new session cookie; the old one stops', async () => {
      const person = await createUser(t, {
        fullName: 'Дмитрий Ким',
        email: 'jasotan@kelisim.test',
        organisationId: otherOrgId,
        roles: [Role.PartyRepresentative],
      });
      const session = await t
        .http()
        .post('/auth/session')
        .send({ email: person.email, password: PASSWORD })
        .expect(200);
      const cookieOf = (set: string[], name: string) =>
        decodeURIComponent(
          set
            .find((c) => c.startsWith(`${name}=`))!
            .split(';')[0]
            .split('=')
            .slice(1)
            .join('='),
        );
      const oldSet = session.headers['set-cookie'] as unknown as string[];
      const oldCookie = `kelisim_session=${encodeURIComponent(cookieOf(oldSet, 'kelisim_session'))}; kelisim_csrf=${session.body.csrfToken}`;
      // Without the CSRF token, a cookie cannot change the password.
      const forged = await t
        .http()
        .post('/me/password')
        .set('Cookie', oldCookie)
        .send({ currentPassword: PASSWORD, newPassword: 'Новый-пароль-2026' });
      expect([forged.status, forged.body.code]).toEqual([403, 'csrf_failed']);

      const changed = await t
        .http()
        .post('/me/password')
        .set('Cookie', oldCookie)
        .set('X-CSRF-Token', session.body.csrfToken)
        .send({ currentPassword: PASSWORD, newPassword: 'Новый-пароль-2026' });
      expect(changed.status).toBe(200);
      expect(changed.body.token).toBeUndefined();
      const set = changed.headers['set-cookie'] as unknown as string[];
      expect(set.find((c) => c.startsWith('kelisim_session='))).toMatch(/HttpOnly/i);
      expect(cookieOf(set, 'kelisim_csrf')).toBe(changed.body.csrfToken);
      const newCookie = `kelisim_session=${encodeURIComponent(cookieOf(set, 'kelisim_session'))}; kelisim_csrf=${changed.body.csrfToken}`;
      expect((await t.http().get('/me').set('Cookie', oldCookie)).status).toBe(401);
      expect((await t.http().get('/me').set('Cookie', newCookie)).status).toBe(200);
      await t
        .http()
        .patch('/me')
        .set('Cookie', newCookie)
        .set('X-CSRF-Token', changed.body.csrfToken)
        .send({ language: 'kk' })
        .expect(200);
    });

    it('needs a sign-in and refuses unknown fields', async () => {
      expect(
        (
          await t
            .http()
            .post('/me/password')
            .send({ currentPassword: PASSWORD, newPassword: 'x'.repeat(12) })
        ).status,
      ).toBe(401);
      const extra = await t
        .http()
        .post('/me/password')
        .set(coordinator.auth)
        .send({ currentPassword: PASSWORD, newPassword: 'x'.repeat(12), userId: representative.id });
      expect(extra.status).toBe(400);
      expect(extra.body.errors).toEqual([{ field: 'userId', message: 'is not a known field' }]);
      expect((await t.http().get('/me').set(coordinator.auth)).status).toBe(200);
    });
  });

  describe('PATCH /users/{id}: name, e-mail, organisation', () => {
    it('an admin moves a user to another organisation: their sessions stop; a bad or unknown organisation is named', async () => {
      const person = await createUser(t, {
        fullName: 'Гүлнар Оспанова',
        email: 'university@kelisim.test',
        organisationId: orgId,
        roles: [Role.PartyRepresentative],
      });
      const byCoordinator = await t
        .http()
        .patch(`/users/${person.id}`)
        .set(coordinator.auth)
        .send({ organisationId: otherOrgId });
      expect([byCoordinator.status, byCoordinator.body.code]).toEqual([403, 'missing_role']);
      const bad = await t.http().patch(`/users/${person.id}`).set(admin.auth).send({ organisationId: 'nope' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'organisationId', message: 'must be a UUID' }]);
      const unknown = await t
        .http()
        .patch(`/users/${person.id}`)
        .set(admin.auth)
        .send({ organisationId: '6b1f0c55-8d0e-4a43-9a57-2f3a1e0d0000', fullName: 'Не сохранится' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors).toEqual([{ field: 'organisationId', message: 'no such organisation' }]);
      const nulled = await t.http().patch(`/users/${person.id}`).set(admin.auth).send({ organisationId: null });
      expect(nulled.status).toBe(400);
      expect(nulled.body.errors[0].field).toBe('organisationId');
      expect((await t.http().get(`/users/${person.id}`).set(admin.auth)).body).toMatchObject({
        fullName: 'Гүлнар Оспанова',
        organisationId: orgId,
      });
      expect((await t.http().get('/me').set(person.auth)).status).toBe(200);

      const moved = await t
        .http()
        .patch(`/users/${person.id}`)
        .set(admin.auth)
        .send({ organisationId: otherOrgId, fullName: 'Гүлнар Оспанқызы', email: 'G.Ospan@kelisim.test' });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({
        organisationId: otherOrgId,
        fullName: 'Гүлнар Оспанқызы',
        email: 'g.ospan@kelisim.test',
      });
      expect((await t.http().get('/me').set(person.auth)).status).toBe(401);
      const again = await login(t, 'g.ospan@kelisim.test');
      expect((await t.http().get('/me').set(bearer(again))).body.organisationId).toBe(otherOrgId);
      const taken = await t.http().patch(`/users/${person.id}`).set(admin.auth).send({ email: coordinator.email });
      expect([taken.status, taken.body.code]).toEqual([409, 'email_taken']);
    });
  });

  describe('PATCH /organisations/{id}: name, BIN, system', () => {
    it('an admin renames and sets a BIN (checked); others may not', async () => {
      const byCoordinator = await t.http().patch(`/organisations/${orgId}`).set(coordinator.auth).send({ name: 'X' });
      expect([byCoordinator.status, byCoordinator.body.code]).toEqual([403, 'missing_role']);
      const badBin = await t.http().patch(`/organisations/${orgId}`).set(admin.auth).send({ bin: '123456789012' });
      expect(badBin.status).toBe(400);
      expect(badBin.body.errors[0].field).toBe('bin');
      const emptyName = await t.http().patch(`/organisations/${orgId}`).set(admin.auth).send({ name: '  ' });
      expect(emptyName.status).toBe(400);
      expect(emptyName.body.errors[0].field).toBe('name');
      const ok = await t
        .http()
        .patch(`/organisations/${orgId}`)
        .set(admin.auth)
        .send({ name: '«Қоғамдық келісім» КММ', bin: '123456789013' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ name: '«Қоғамдық келісім» КММ', bin: '123456789013', system: false });
      const duplicate = await t
        .http()
        .patch(`/organisations/${otherOrgId}`)
        .set(admin.auth)
        .send({ bin: '123456789013' });
      expect(duplicate.status).toBe(409);
      expect((await t.http().get(`/organisations/${otherOrgId}`).set(admin.auth)).body.bin).toBeNull();
    });

    it('a system organisation is left out of ?system=false (the party choices); only an admin marks one', async () => {
      const operator = (await t.http().get(`/users/${admin.id}`).set(admin.auth)).body.organisationId as string;
      const byCoordinator = await t
        .http()
        .patch(`/organisations/${operator}`)
        .set(coordinator.auth)
        .send({ system: true });
      expect(byCoordinator.status).toBe(403);
      const bad = await t.http().patch(`/organisations/${operator}`).set(admin.auth).send({ system: 'yes' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('system');
      await t.http().patch(`/organisations/${operator}`).set(admin.auth).send({ system: true }).expect(200);
      const parties = await t.http().get('/organisations?system=false&pageSize=100').set(coordinator.auth).expect(200);
      const ids = parties.body.items.map((o: { id: string }) => o.id);
      expect(ids).toEqual(expect.arrayContaining([orgId, otherOrgId]));
      expect(ids).not.toContain(operator);
      const all = await t.http().get('/organisations?pageSize=100').set(admin.auth).expect(200);
      expect(all.body.items.find((o: { id: string }) => o.id === operator)).toMatchObject({ system: true });
      const badQuery = await t.http().get('/organisations?system=maybe').set(coordinator.auth);
      expect(badQuery.status).toBe(400);
      expect(badQuery.body.errors[0].field).toBe('system');
    });
  });
});
