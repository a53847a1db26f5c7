/**
 * Answers that carry a secret (a login token, a personal token, a webhook signing secret) are
 * never kept by the idempotency store: walks every route the app marks as such, from its metadata.
 */
import { Role } from '@kelisim/identity';
import { answerCarriesSecret, withoutSecrets } from '@kelisim/platform';
import { createAdmin, createOrganisation, createUser, PASSWORD, TestUser } from './support/identity';
import { listRoutes } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';

describe('answers carrying secrets are never stored for replay', () => {
  let t: TestApp;
  let coordinator: TestUser;
  let admin: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    admin = await createAdmin(t);
    const org = await createOrganisation(t, 'Қоғамдық келісім');
    coordinator = await createUser(t, {
      fullName: 'Парида Мамедова',
      email: 'p.m@kelisim.test',
      organisationId: org.id,
      roles: [Role.Coordinator],
    });
    other = await createUser(t, {
      fullName: 'Айгүл Сәрсенова',
      email: 'a.s@kelisim.test',
      organisationId: org.id,
      roles: [Role.PartyRepresentative],
    });
  });
  afterAll(() => t?.close());

  const bodies: Record<string, object> = {
    'POST /auth/login': { email: 'p.m@kelisim.test', password: PASSWORD },
    'POST /auth/session': { email: 'p.m@kelisim.test', password: PASSWORD },
    'POST /me/tokens': { name: 'CRM' },
    'POST /me/feed-tokens': { name: 'Outlook' },
    'POST /webhooks': { url: 'http://127.0.0.1:9/hook', events: ['*'] },
    'POST /me/password': { currentPassword: PASSWORD, newPassword: `${PASSWORD}-2` },
    'POST /users/:id/password-reset': {},
  };

  it('every route marked @AnswerCarriesSecret refuses Idempotency-Key, and nothing secret reaches idempotency_keys', async () => {
    const marked = listRoutes(t)
      .filter((r) => r.method === 'POST' && answerCarriesSecret(r.handler))
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    // The routes known to answer with a secret must all be among them (the webhook one was not).
    expect(marked).toEqual(expect.arrayContaining(Object.keys(bodies)));
    for (const route of marked) {
      const body = bodies[route];
      expect({ route, hasBody: !!body }).toEqual({ route, hasBody: true });
      // An admin resets another user's password; the coordinator's own change answers a new token.
      const byAdmin = route.includes('/users/:id/');
      const caller = () => (byAdmin ? admin.auth : coordinator.auth);
      const path = route.split(' ')[1].replace(':id', other.id);
      for (let i = 0; i < 2; i++) {
        const res = await t
          .http()
          .post(path)
          .set(caller())
          .set('Idempotency-Key', `key-${path.replace(/\//g, '_')}`)
          .send(body);
        expect({ route, status: res.status, code: res.body.code }).toEqual({
          route,
          status: 400,
          code: 'idempotency_not_supported',
        });
      }
      const ok = await t.http().post(path).set(caller()).send(body);
      const answersOk = path.startsWith('/auth/') || path === '/me/password' || byAdmin;
      expect({ route, status: ok.status }).toEqual({ route, status: answersOk ? 200 : 201 });
      if (path === '/me/password') coordinator.auth = { Authorization: `Bearer ${ok.body.token}` };
    }
    const stored = await t.db.query(
      `SELECT count(*)::int AS n FROM idempotency_keys WHERE response_body::text ~ '(whsec_|kls_|klp_)'`,
    );
    expect(stored[0].n).toBe(0);
  });

  it('the store keeps null in place of any secret field an unmarked route might answer with', () => {
    expect(
      withoutSecrets({ id: 'x', secret: 'whsec_1', nested: [{ token: 'kls_1', name: 'n' }], at: new Date(0) }),
    ).toEqual({ id: 'x', secret: null, nested: [{ token: null, name: 'n' }], at: new Date(0) });
  });
});
