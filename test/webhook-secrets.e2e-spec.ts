import { Role } from '@kelisim/identity';
import { createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

/** Webhook signing secrets cannot be hashed (they sign every POST), so they are sealed at rest. */
describe('webhook registration: input and secrets at rest', () => {
  let t: TestApp;
  let coordinator: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    const org = await createOrganisation(t, 'Қоғамдық келісім');
    coordinator = await createUser(t, {
      fullName: 'Парида Мамедова',
      email: 'p.m@kelisim.test',
      organisationId: org.id,
      roles: [Role.Coordinator],
    });
  });
  afterAll(() => t?.close());

  it('shows the secret once and stores it sealed, never in plain text', async () => {
    const secret = 'whsec-Тараз-28-09-2021-келісім';
    const created = await t
      .http()
      .post('/webhooks')
      .set(coordinator.auth)
      .send({ url: 'http://127.0.0.1:9/hook', events: ['memorandum.submitted'], secret });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBe(secret);
    const [row] = await t.db.query('SELECT secret FROM webhooks WHERE id = $1', [created.body.id]);
    expect(row.secret).toMatch(/^v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
    expect(row.secret).not.toContain('whsec');
    const list = await t.http().get('/webhooks').set(coordinator.auth);
    expect(JSON.stringify(list.body)).not.toContain('whsec');
  });

  it('refuses unknown fields and names bad ones', async () => {
    const res = await t
      .http()
      .post('/webhooks')
      .set(coordinator.auth)
      .send({ url: 'mailto:x@y.kz', events: ['Memorandum Submitted'], colour: 'red' });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect([...new Set(fields)]).toEqual(['colour', 'events', 'url']);
    expect(Number((await t.db.query('SELECT count(*) AS n FROM webhooks'))[0].n)).toBe(1);
  });
});
