/**
 * The daily e-mail digest (docs/notifications.md, "Preferences"), end to end through the real API, lifecycle, outbox
 * dispatcher and worker (BullMQ on Redis, then on its PostgreSQL backend; the repeated `delivery.digests` job) with a
 * real SMTP peer, time driven by the test clock: a user with `digest` gets notices in-app at once and no e-mail per
 * notice, then one e-mail at their local hour listing the unread ones with their links in their language; a run
 * repeated sends nothing; a user with `each` is unchanged.
 */
import { Language, Role } from '@kelisim/identity';
import { DigestService } from '@kelisim/notifications';
import { createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';
import { authOf, fastTimers, settle, SmtpPeer, startSmtpPeer, waitFor } from './faults/harness';

const PUBLIC_URL = 'https://kelisim.example.kz';

describe.each(['redis', 'postgres'] as const)(
  'daily digest of notices (queue on %s, real SMTP, test clock)',
  (queue) => {
    let t: TestApp;
    let smtp: SmtpPeer;
    const people: Record<string, TestUser> = {};
    const orgs: Record<string, string> = {};
    const memoranda: string[] = [];

    beforeAll(async () => {
      smtp = await startSmtpPeer();
      t = await startTestApp({
        queue,
        withWorker: true,
        env: fastTimers({ SMTP_URL: smtp.url, PUBLIC_URL }),
      });
      // 06:00 in Almaty (the default zone; +06:00 in 2021): before anyone's digest hour.
      t.clock.set('2021-09-20T06:00:00+06:00');
      for (const key of ['coord', 'a', 'b']) orgs[key] = (await createOrganisation(t, `Digest ${key}`)).id;
      const add = async (key: string, org: string, roles: Role[], language: Language) => {
        people[key] = await createUser(t, {
          fullName: key,
          email: `${key.toLowerCase()}@digest.test`,
          organisationId: orgs[org],
          roles,
          language,
        });
      };
      await add('coord1', 'coord', [Role.Coordinator], Language.English);
      await add('repA', 'a', [Role.PartyRepresentative], Language.Kazakh);
      await add('sigA', 'a', [Role.Signatory], Language.Russian);
      await add('repB', 'b', [Role.PartyRepresentative], Language.Russian);
      await add('sigB', 'b', [Role.Signatory], Language.English);
    });
    afterAll(async () => {
      await t?.close();
      await smtp?.close();
    });

    const as = (key: string) => authOf(t, people[key]);
    const mailsTo = (key: string) => smtp.mails.filter((m) => m.to.includes(`${key.toLowerCase()}@digest.test`));
    const runDigests = () => t.app.get(DigestService).runDue();
    const digestsOf = async (key: string) =>
      (await t.db.query(
        `SELECT g.id, g.day::text AS day, g.notice_count, g.delivery_id, d.status, d.content
         FROM notification_digests g LEFT JOIN notification_deliveries d ON d.id = g.delivery_id
        WHERE g.user_id = $1 ORDER BY g.day`,
        [people[key].id],
      )) as {
        id: string;
        day: string;
        notice_count: number;
        delivery_id: string | null;
        status: string | null;
        content: { subject: string; text: string; language: string } | null;
      }[];
    const submitted = async (title: string) => {
      const res = await t
        .http()
        .post('/memoranda')
        .set(await as('coord1'))
        .send({
          title,
          purpose: 'Youth and accord',
          body: 'The parties agree to cooperate.',
          language: 'ru',
          coordinatingOrganisationId: orgs.coord,
          effectiveDate: '2021-10-01',
          endDate: '2024-09-30',
        });
      expect([res.status, res.body.message]).toEqual([201, undefined]);
      const id: string = res.body.id;
      for (const org of ['a', 'b']) {
        const p = await t
          .http()
          .post(`/memoranda/${id}/parties`)
          .set(await as('coord1'))
          .send({ organisationId: orgs[org], role: 'signatory' });
        expect([p.status, p.body.message]).toEqual([201, undefined]);
      }
      const s = await t
        .http()
        .post(`/memoranda/${id}/submit`)
        .set(await as('coord1'))
        .send({});
      expect([s.status, s.body.message]).toEqual([200, undefined]);
      t.clock.advance(60_000);
      await settle(t);
      memoranda.push(id);
      return id;
    };
    const inbox = async (key: string) =>
      (
        await t
          .http()
          .get('/me/notifications?pageSize=100')
          .set(await as(key))
      ).body.items as { id: string; memorandumId: string; topic: string; readAt: string | null }[];

    it('preferences: emailMode and digestHour, the older email switch mapped; bad values are a 400 naming the fields', async () => {
      const get = async () =>
        (
          await t
            .http()
            .get('/me/notification-preferences')
            .set(await as('repA'))
        ).body;
      const put = async (body: Record<string, unknown>) =>
        t
          .http()
          .put('/me/notification-preferences')
          .set(await as('repA'))
          .send(body);
      expect(await get()).toEqual({ email: true, emailMode: 'each', digestHour: 9, mutedTopics: [] });
      const off = await put({ email: false });
      expect([off.status, off.body]).toEqual([200, { email: false, emailMode: 'off', digestHour: 9, mutedTopics: [] }]);
      const on = await put({ email: true });
      expect(on.body).toEqual({ email: true, emailMode: 'each', digestHour: 9, mutedTopics: [] });
      const bad = await put({ emailMode: 'weekly', digestHour: 24 });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['digestHour', 'emailMode']);
      expect(await get()).toEqual({ email: true, emailMode: 'each', digestHour: 9, mutedTopics: [] });
      const digest = await put({ emailMode: 'digest', digestHour: 8 });
      expect([digest.status, digest.body]).toEqual([
        200,
        { email: true, emailMode: 'digest', digestHour: 8, mutedTopics: [] },
      ]);
      // `email: true` keeps a digest.
      expect((await put({ email: true })).body.emailMode).toBe('digest');
    });

    it('with a digest, notices arrive in-app at once and send no e-mail; the "each" user gets an e-mail per notice', async () => {
      const first = await submitted('Жастар форумы');
      const second = await submitted('Еріктілер мектебі');
      const a = await inbox('repA');
      expect(a.filter((n) => n.topic === 'review_requested').map((n) => n.memorandumId)).toEqual([second, first]);
      const emails = (await t.db.query(
        `SELECT user_id FROM notification_deliveries WHERE channel = 'email' AND memorandum_id = ANY($1::uuid[])`,
        [memoranda],
      )) as { user_id: string }[];
      expect(emails.filter((e) => e.user_id === people.repA.id)).toHaveLength(0);
      // repB's wait for the end of the quiet hours (09:00); the digest, at the hour its user chose, does not.
      expect(emails.filter((e) => e.user_id === people.repB.id)).toHaveLength(2);
      expect(mailsTo('repA')).toHaveLength(0);
      // Before 08:00 local nothing is due.
      t.clock.set('2021-09-20T07:59:00+06:00');
      expect(await runDigests()).toEqual({ sent: 0, empty: 0 });
      expect(await digestsOf('repA')).toEqual([]);
    });

    it('at the local hour the worker sends one digest listing the unread notices with their links, in Kazakh; read ones are left out', async () => {
      const [first, second] = memoranda;
      const read = (await inbox('repA')).find((n) => n.memorandumId === first)!;
      const r = await t
        .http()
        .post(`/me/notifications/${read.id}/read`)
        .set(await as('repA'));
      expect(r.status).toBe(200);

      t.clock.set('2021-09-20T08:00:00+06:00');
      // The worker's repeated job, not a call from here.
      const [mail] = await waitFor('the digest e-mail', () => (mailsTo('repA').length ? mailsTo('repA') : null));
      await settle(t);
      const digests = await digestsOf('repA');
      expect(digests).toHaveLength(1);
      expect(digests[0]).toMatchObject({ day: '2021-09-20', notice_count: 1, status: 'sent' });
      expect(mail.deliveryId).toBe(digests[0].delivery_id);
      expect(mail.language).toBe('kk');
      expect(mail.subject).toBe('Kelisim: оқылмаған 1 хабарлама');
      const text = digests[0].content!.text;
      expect(text).toContain('Соңғы дайджесттен бері келген, әлі оқылмаған хабарламалар:');
      expect(text).toContain(`${PUBLIC_URL}/app/memoranda/${second}?tab=approvals`);
      expect(text).toContain('Еріктілер мектебі');
      expect(text).not.toContain(first);
      expect(text).toContain(`${PUBLIC_URL}/app/notification-preferences`);
      // The notices it listed are marked with it in the same transaction; the read one is not.
      const marked = (await t.db.query(
        `SELECT memorandum_id, digest_id FROM notifications WHERE user_id = $1 AND for_digest ORDER BY created_at`,
        [people.repA.id],
      )) as { memorandum_id: string; digest_id: string | null }[];
      expect(marked).toEqual([
        { memorandum_id: first, digest_id: null },
        { memorandum_id: second, digest_id: digests[0].id },
      ]);
    });

    it('a run repeated (a retried job, two at once) sends nothing more; the next day with nothing unread sends nothing', async () => {
      t.clock.set('2021-09-20T11:00:00+06:00');
      expect(await Promise.all([runDigests(), runDigests()])).toEqual([
        { sent: 0, empty: 0 },
        { sent: 0, empty: 0 },
      ]);
      // The next morning: the one unread notice was in yesterday's digest, the read one stays out.
      t.clock.set('2021-09-21T08:30:00+06:00');
      const runs = await Promise.all([runDigests(), runDigests()]);
      expect(runs.map((x) => x.sent)).toEqual([0, 0]);
      await waitFor('the day to be recorded', async () => (await digestsOf('repA')).length === 2);
      await settle(t);
      const digests = await digestsOf('repA');
      expect(digests.map((d) => [d.day, d.notice_count, d.delivery_id])).toEqual([
        ['2021-09-20', 1, digests[0].delivery_id],
        ['2021-09-21', 0, null],
      ]);
      expect(mailsTo('repA')).toHaveLength(1);
    });

    it('a new notice waits for the next day’s digest; two runs at once send it once', async () => {
      const third = await submitted('Волонтёрлер күні');
      expect(mailsTo('repA')).toHaveLength(1);
      t.clock.set('2021-09-22T09:00:00+06:00');
      // Two runs here and the worker's own: one digest between them.
      const runs = await Promise.all([runDigests(), runDigests()]);
      expect(runs.reduce((n, x) => n + x.sent, 0)).toBeLessThanOrEqual(1);
      await waitFor('the second digest e-mail', () => mailsTo('repA').length === 2);
      await settle(t);
      const digests = await digestsOf('repA');
      expect(digests.map((d) => [d.day, d.notice_count])).toEqual([
        ['2021-09-20', 1],
        ['2021-09-21', 0],
        ['2021-09-22', 1],
      ]);
      expect(digests[2].content!.text).toContain(`${PUBLIC_URL}/app/memoranda/${third}?tab=approvals`);
      expect(mailsTo('repA')).toHaveLength(2);
      expect(mailsTo('repA')[1].deliveryId).toBe(digests[2].delivery_id);
      // repB ("each") got each of the three notices by e-mail, in Russian, no digest.
      await waitFor('repB’s e-mails', () => mailsTo('repB').length === 3);
      expect(mailsTo('repB').map((m) => m.language)).toEqual(['ru', 'ru', 'ru']);
      expect(await digestsOf('repB')).toEqual([]);
    });
  },
);
