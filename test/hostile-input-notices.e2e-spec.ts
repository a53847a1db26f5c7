/**
 * Hostile input on the notice preferences (docs/notifications.md, "Preferences"): each bad body is a 400 naming the
 * field, and the stored choice is what it was.
 */
import { Role } from '@kelisim/identity';
import { createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

describe('hostile input: notice preferences', () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    const org = await createOrganisation(t, 'Жас Отан');
    user = await createUser(t, {
      fullName: 'Әлия',
      email: 'aliya@prefs.test',
      organisationId: org.id,
      roles: [Role.PartyRepresentative],
    });
    const set = await t
      .http()
      .put('/me/notification-preferences')
      .set(user.auth)
      .send({ email: true, mutedTopics: ['report_filed'] });
    expect(set.status).toBe(200);
  });
  afterAll(() => t?.close());

  const cases: Array<[string, unknown, string]> = [
    ['a kind as a string, not a list', { mutedTopics: 'report_filed' }, 'mutedTopics'],
    ['a reminder, which cannot be muted', { mutedTopics: ['approval_reminder'] }, 'mutedTopics'],
    ['an object in the list', { mutedTopics: [{ topic: 'report_filed' }] }, 'mutedTopics'],
    ['a kind with a NUL', { mutedTopics: ['report_filed\u0000'] }, 'mutedTopics'],
    ['more kinds than there are', { mutedTopics: Array.from({ length: 40 }, () => 'report_filed') }, 'mutedTopics'],
    ['e-mail as a string', { email: 'false' }, 'email'],
    ['e-mail as a number', { email: 0 }, 'email'],
    ['an unknown e-mail mode', { emailMode: 'weekly' }, 'emailMode'],
    ['an e-mail mode of another case', { emailMode: 'DIGEST' }, 'emailMode'],
    ['a digest hour past 23', { digestHour: 24 }, 'digestHour'],
    ['a digest hour below 0', { digestHour: -1 }, 'digestHour'],
    ['a digest hour with minutes', { digestHour: 8.5 }, 'digestHour'],
    ['a digest hour as a string', { digestHour: '8' }, 'digestHour'],
    ['an unknown field', { push: true }, 'push'],
  ];

  it.each(cases)('refuses %s with a 400 naming the field, and keeps the stored choice', async (_name, body, field) => {
    const res = await t
      .http()
      .put('/me/notification-preferences')
      .set(user.auth)
      .send(body as object);
    expect(res.status).toBe(400);
    expect((res.body.errors as { field: string }[]).map((e) => e.field.replace(/\[\d+\]$/, ''))).toContain(field);
    const now = await t.http().get('/me/notification-preferences').set(user.auth);
    expect(now.body).toEqual({ email: true, emailMode: 'each', digestHour: 9, mutedTopics: ['report_filed'] });
  });

  it('refuses a list as the body (here and on every route whose body is an object), and answers 401 without a session', async () => {
    const list = await t.http().put('/me/notification-preferences').set(user.auth).send([]);
    expect([list.status, list.body.errors]).toEqual([
      400,
      [{ field: 'body', message: 'must be a JSON object, not a list' }],
    ]);
    // The same rule on another route whose fields are all optional: a list once passed as an empty change.
    expect((await t.http().patch('/me').set(user.auth).send([])).status).toBe(400);
    expect((await t.http().put('/me/notification-preferences').send({ email: false })).status).toBe(401);
    expect((await t.http().post('/me/notifications/read-all')).status).toBe(401);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM notification_preferences`);
    expect(n).toBe(1);
  });
});
