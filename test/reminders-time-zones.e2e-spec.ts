/**
 * Quiet hours in the recipient's own time zone, end to end: a user may have an IANA `timeZone`
 * (admin sets it; `GET /me` and the login answer show it). Three representatives of one party of a
 * memorandum in Asia/Almaty get the same approval reminder at 22:00 Almaty (17:00 London): the one
 * in Europe/London gets the e-mail at once; the one in Asia/Almaty and the one without a zone (the
 * memorandum's is used) at 09:00 Almaty the next morning. The in-app copies arrive at once for all.
 */
import { Language, Role } from '@kelisim/identity';
import { createAdmin, createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';
import { authOf, fastTimers, settle, SmtpPeer, startSmtpPeer } from './faults/harness';

describe("reminders: quiet hours in the recipient's time zone (queue on redis)", () => {
  let t: TestApp;
  let smtp: SmtpPeer;
  let admin: TestUser;
  let coordinator: TestUser;
  let almaty: TestUser;
  let london: TestUser;
  let zoneless: TestUser;
  let coordId: string;
  let partyA: string;
  let partyB: string;

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    t = await startTestApp({ queue: 'redis', withWorker: true, env: fastTimers({ SMTP_URL: smtp.url }) });
    admin = await createAdmin(t);
    coordId = (await createOrganisation(t, 'Қоғамдық келісім')).id;
    partyA = (await createOrganisation(t, 'Жас Отан')).id;
    partyB = (await createOrganisation(t, 'Жас Ұлан')).id;
    coordinator = await createUser(t, {
      fullName: 'Парида Мамедова',
      email: 'coord@tz.test',
      organisationId: coordId,
      roles: [Role.Coordinator],
    });
    almaty = await createUser(t, {
      fullName: 'Айгерім Сәрсенова',
      email: 'almaty@tz.test',
      organisationId: partyA,
      roles: [Role.PartyRepresentative],
      language: Language.Kazakh,
    });
    london = await createUser(t, {
      fullName: 'Daniyar Omarov',
      email: 'london@tz.test',
      organisationId: partyA,
      roles: [Role.PartyRepresentative],
      language: Language.English,
    });
    zoneless = await createUser(t, {
      fullName: 'Мария Ким',
      email: 'zoneless@tz.test',
      organisationId: partyA,
      roles: [Role.PartyRepresentative],
    });
    await createUser(t, {
      fullName: 'Асқар Беков',
      email: 'rep.b@tz.test',
      organisationId: partyB,
      roles: [Role.PartyRepresentative],
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it("stores a user's IANA time zone (validated like a memorandum's), shows it in GET /me and at login, and clears it with null", async () => {
    const me = async (u: TestUser) =>
      (
        await t
          .http()
          .get('/me')
          .set(await authOf(t, u))
      ).body;
    expect(await me(london)).toMatchObject({ id: london.id, timeZone: null });

    for (const bad of ['+05:00', 'Mars/Olympus', 'asia/almaty', '']) {
      const res = await t.http().patch(`/users/${london.id}`).set(admin.auth).send({ timeZone: bad });
      expect([res.status, res.body.code, res.body.errors?.[0]?.field]).toEqual([422, 'invalid_time_zone', 'timeZone']);
    }
    const tooLong = await t
      .http()
      .patch(`/users/${london.id}`)
      .set(admin.auth)
      .send({ timeZone: 'A'.repeat(65) });
    expect(tooLong.status).toBe(400);
    expect(
      (
        await t
          .http()
          .patch(`/users/${london.id}`)
          .set(await authOf(t, london))
          .send({ timeZone: 'Europe/London' })
      ).status,
    ).toBe(403);

    const set = await t.http().patch(`/users/${london.id}`).set(admin.auth).send({ timeZone: 'Europe/London' });
    expect([set.status, set.body.timeZone]).toEqual([200, 'Europe/London']);
    expect(await me(london)).toMatchObject({ timeZone: 'Europe/London' });
    const login = await t.http().post('/auth/login').send({ email: london.email, password: 'Келісім-2021-Тараз' });
    expect(login.body.user).toMatchObject({ id: london.id, timeZone: 'Europe/London' });

    const created = await t
      .http()
      .post('/users')
      .set(admin.auth)
      .send({
        fullName: 'Temporary',
        email: 'temp@tz.test',
        password: 'Келісім-2021-Тараз',
        organisationId: partyB,
        roles: ['supervisor'],
        language: 'en',
        timeZone: 'America/New_York',
      });
    expect([created.status, created.body.timeZone]).toEqual([201, 'America/New_York']);
    const refused = await t
      .http()
      .post('/users')
      .set(admin.auth)
      .send({
        fullName: 'Refused',
        email: 'refused@tz.test',
        password: 'Келісім-2021-Тараз',
        organisationId: partyB,
        roles: ['supervisor'],
        language: 'en',
        timeZone: 'UTC+6',
      });
    expect([refused.status, refused.body.code]).toEqual([422, 'invalid_time_zone']);
    expect(await t.db.query(`SELECT 1 FROM users WHERE email = 'refused@tz.test'`)).toHaveLength(0);
    const cleared = await t.http().patch(`/users/${created.body.id}`).set(admin.auth).send({ timeZone: null });
    expect([cleared.status, cleared.body.timeZone]).toEqual([200, null]);

    expect(
      (await t.http().patch(`/users/${almaty.id}`).set(admin.auth).send({ timeZone: 'Asia/Almaty' })).body.timeZone,
    ).toBe('Asia/Almaty');
  });

  it('holds the e-mail of a reminder until 09:00 where it is night for the recipient, and sends it at once where it is day', async () => {
    // Submitted at 22:00 Almaty (UTC+6) = 17:00 London (BST, UTC+1): the reminder falls due 3 days later at the same hour.
    t.clock.set('2021-10-10T22:00:00+06:00');
    const created = await t
      .http()
      .post('/memoranda')
      .set(await authOf(t, coordinator))
      .send({
        title: 'Уақыт белдеулері',
        purpose: 'Тыныш сағаттар',
        body: 'Тараптар келісті…',
        language: 'kk',
        coordinatingOrganisationId: coordId,
      });
    expect([created.status, created.body.timeZone]).toEqual([201, 'Asia/Almaty']);
    const id = created.body.id as string;
    for (const organisationId of [partyA, partyB]) {
      expect(
        (
          await t
            .http()
            .post(`/memoranda/${id}/parties`)
            .set(await authOf(t, coordinator))
            .send({ organisationId, role: 'signatory' })
        ).status,
      ).toBe(201);
    }
    expect(
      (
        await t
          .http()
          .post(`/memoranda/${id}/submit`)
          .set(await authOf(t, coordinator))
          .send({})
      ).status,
    ).toBe(200);
    await settle(t);

    t.clock.set('2021-10-13T22:00:00+06:00');
    await settle(t, 'the approval reminder');
    const email = async (u: TestUser) => {
      const rows = await t.db.query(
        `SELECT id, status, not_before FROM notification_deliveries WHERE memorandum_id = $1 AND user_id = $2 AND channel = 'email' AND source_type = 'scheduled_item'`,
        [id, u.id],
      );
      expect(rows).toHaveLength(1);
      return {
        ...rows[0],
        notBefore: new Date(rows[0].not_before).toISOString(),
        mails: smtp.mails.filter((m) => m.deliveryId === rows[0].id).length,
      };
    };
    const inApp = async (u: TestUser) =>
      (
        await t.db.query(
          `SELECT status FROM notification_deliveries WHERE memorandum_id = $1 AND user_id = $2 AND channel = 'in_app' AND source_type = 'scheduled_item'`,
          [id, u.id],
        )
      ).map((r: { status: string }) => r.status);

    expect(await email(london)).toMatchObject({ status: 'sent', notBefore: '2021-10-13T16:00:00.000Z', mails: 1 });
    for (const u of [almaty, zoneless]) {
      expect(await email(u)).toMatchObject({ status: 'pending', notBefore: '2021-10-14T03:00:00.000Z', mails: 0 });
    }
    for (const u of [almaty, london, zoneless]) expect(await inApp(u)).toEqual(['sent']);

    t.clock.set('2021-10-14T08:59:00+06:00');
    await settle(t);
    expect((await email(almaty)).mails).toBe(0);
    t.clock.set('2021-10-14T09:00:00+06:00');
    await settle(t, 'the morning e-mails');
    for (const u of [almaty, zoneless]) expect(await email(u)).toMatchObject({ status: 'sent', mails: 1 });
    expect((await email(london)).mails).toBe(1);
  });
});
