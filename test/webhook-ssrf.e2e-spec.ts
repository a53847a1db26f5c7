/** Webhooks cannot be pointed inside: every form of a non-public address is refused at registration. */
import { Role } from '@kelisim/identity';
import { createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

describe('webhook targets (WEBHOOK_ALLOW_PRIVATE off)', () => {
  let t: TestApp;
  let coordinator: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    const org = await createOrganisation(t, 'Қоғамдық келісім');
    coordinator = await createUser(t, {
      fullName: 'Парида Мамедова',
      email: 'p.m@kelisim.test',
      organisationId: org.id,
      roles: [Role.Coordinator],
    });
  });
  afterAll(() => t?.close());

  it.each([
    'http://[::ffff:7f00:1]:18081/x',
    'http://[::ffff:127.0.0.1]:18081/x',
    'http://[::ffff:a9fe:a9fe]/latest/meta-data',
    'http://[::ffff:10.0.0.1]/',
    'http://[::127.0.0.1]/',
    'http://[64:ff9b::7f00:1]/',
    'http://[fec0::1]/',
    'http://198.18.0.1/',
    'http://100.64.0.1/',
    'http://127.0.0.1:18081/x',
    'http://localhost:18081/x',
  ])('POST /webhooks %s → 400 naming url; nothing stored', async (url) => {
    const res = await t
      .http()
      .post('/webhooks')
      .set(coordinator.auth)
      .send({ url, events: ['*'] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'url', message: expect.stringContaining('public address') }]);
    expect((await t.db.query('SELECT count(*)::int AS n FROM webhooks'))[0].n).toBe(0);
  });
});
