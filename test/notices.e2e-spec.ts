/**
 * Telling people at once (docs/notifications.md), end to end through the real API, lifecycle, outbox dispatcher and
 * worker (BullMQ on Redis) with a real SMTP peer: after every step, exactly who got an in-app notice and an e-mail,
 * in which language, with which link; never the person who acted; e-mail preferences honoured; an outbox event
 * dispatched again sends nothing twice.
 */
import { Language, Role } from '@kelisim/identity';
import { createAdmin, createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';
import { authOf, fastTimers, settle, SmtpPeer, startSmtpPeer, waitFor } from './faults/harness';

const PUBLIC_URL = 'https://kelisim.example.kz';

interface Told {
  user: string;
  channel: string;
  status: string;
  text: string;
  title: string;
  id: string;
}

describe('notices at once: every step tells the people it needs (queue on redis, real SMTP)', () => {
  let t: TestApp;
  let smtp: SmtpPeer;
  const people: Record<string, TestUser> = {};
  const orgs: Record<string, string> = {};
  /** E-mail address → short name, for readable assertions. */
  const nameOf = new Map<string, string>();

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    t = await startTestApp({
      queue: 'redis',
      withWorker: true,
      env: fastTimers({ SMTP_URL: smtp.url, PUBLIC_URL: `${PUBLIC_URL}/` }),
    });
    for (const [key, name] of [
      ['coord', 'Қоғамдық келісім'],
      ['a', 'Жастар саясаты басқармасы'],
      ['b', 'Жас Отан'],
      ['w', 'Дулати университеті'],
      ['oversight', 'Ішкі саясат басқармасы'],
      ['elsewhere', 'Түркістан облысы'],
    ])
      orgs[key] = (await createOrganisation(t, name)).id;
    const add = async (key: string, org: string, roles: Role[], language: Language) => {
      const email = `${key.toLowerCase()}@notices.test`;
      people[key] = await createUser(t, { fullName: key, email, organisationId: orgs[org], roles, language });
      nameOf.set(people[key].id, key);
    };
    await add('coord1', 'coord', [Role.Coordinator], Language.English);
    await add('coord2', 'coord', [Role.Coordinator], Language.Russian);
    await add('repA', 'a', [Role.PartyRepresentative], Language.Kazakh);
    await add('sigA', 'a', [Role.Signatory], Language.Russian);
    await add('repB', 'b', [Role.PartyRepresentative], Language.English);
    await add('sigB', 'b', [Role.Signatory], Language.Kazakh);
    await add('repW', 'w', [Role.PartyRepresentative], Language.Russian);
    await add('supervisor', 'oversight', [Role.Supervisor], Language.English);
    await add('supElsewhere', 'oversight', [Role.Supervisor], Language.Russian);
    const admin = await createAdmin(t);
    // One supervisor's scope covers the coordinating organisation, the other's lies elsewhere.
    for (const [sup, org] of [
      ['supervisor', 'coord'],
      ['supElsewhere', 'elsewhere'],
    ])
      expect(
        (
          await t
            .http()
            .post('/supervision-scopes')
            .set(admin.auth)
            .send({ supervisorUserId: people[sup].id, organisationId: orgs[org] })
        ).status,
      ).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const as = (key: string) => authOf(t, people[key]);
  const create = async (title: string, extra: Record<string, unknown> = {}) => {
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
        ...extra,
      });
    expect([res.status, res.body.message]).toEqual([201, undefined]);
    const id: string = res.body.id;
    for (const [org, role, order] of [
      ['a', 'signatory', 1],
      ['b', 'signatory', 2],
      ['w', 'witness', 3],
    ] as const) {
      const p = await t
        .http()
        .post(`/memoranda/${id}/parties`)
        .set(await as('coord1'))
        .send({ organisationId: orgs[org], role, order });
      expect([p.status, p.body.message]).toEqual([201, undefined]);
    }
    return id;
  };
  const hashOf = async (id: string): Promise<string> =>
    (
      await t
        .http()
        .get(`/memoranda/${id}`)
        .set(await as('coord1'))
    ).body.currentRevision.hash;
  const step = async (who: string, path: string, body: Record<string, unknown>, status = 200) => {
    const res = await t
      .http()
      .post(path)
      .set(await as(who))
      .send(body);
    expect([res.status, res.body.message]).toEqual([status, undefined]);
    // The clock moves a minute per step: every step is its own instant, as it is for people.
    t.clock.advance(60_000);
    await settle(t);
    return res.body;
  };
  const decide = async (who: string, id: string, decision: string) =>
    step(
      who,
      `/memoranda/${id}/approvals`,
      { decision, revisionHash: await hashOf(id), ...(decision === 'approve' ? {} : { comment: 'Add the dates' }) },
      201,
    );
  const sign = async (who: string, id: string) =>
    step(
      who,
      `/memoranda/${id}/signatures`,
      { method: 'electronic', revisionHash: await hashOf(id), typedName: who, consent: true },
      201,
    );

  /** Every notice of `topic` about the memorandum: who, on which channel, with its message. */
  const told = async (id: string, topic: string): Promise<Told[]> =>
    (
      (await t.db.query(
        `SELECT d.id, d.user_id, d.channel, d.status, coalesce(n.title, d.content->>'subject') AS title,
                coalesce(n.body, d.content->>'text') AS text
           FROM notification_deliveries d LEFT JOIN notifications n ON n.id = d.id
          WHERE d.memorandum_id = $1 AND d.topic = $2 AND d.channel <> 'webhook'`,
        [id, topic],
      )) as { id: string; user_id: string; channel: string; status: string; title: string; text: string }[]
    ).map((r) => ({
      id: r.id,
      user: nameOf.get(r.user_id) ?? r.user_id,
      channel: r.channel,
      status: r.status,
      title: r.title,
      text: r.text,
    }));
  /** Who got `topic` in-app and who by e-mail (each e-mail checked on the SMTP peer, in the recipient's language). */
  const recipients = async (id: string, topic: string) => {
    const rows = await told(id, topic);
    for (const r of rows.filter((x) => x.channel === 'email')) {
      expect(r.status).toBe('sent');
      const mails = smtp.mails.filter((m) => m.deliveryId === r.id);
      expect(mails).toHaveLength(1);
      expect(mails[0].to).toEqual([`${r.user.toLowerCase()}@notices.test`]);
      expect(mails[0].subject).toBe(r.title);
    }
    return {
      inApp: rows
        .filter((r) => r.channel === 'in_app')
        .map((r) => r.user)
        .sort(),
      email: rows
        .filter((r) => r.channel === 'email')
        .map((r) => r.user)
        .sort(),
    };
  };
  const both = (...who: string[]) => ({ inApp: [...who].sort(), email: [...who].sort() });
  const messageTo = async (id: string, topic: string, who: string) =>
    (await told(id, topic)).find((r) => r.user === who && r.channel === 'in_app')!;
  const mailTo = (id: string, topic: string, who: string) =>
    told(id, topic).then((rows) => {
      const row = rows.find((r) => r.user === who && r.channel === 'email')!;
      return smtp.mails.find((m) => m.deliveryId === row.id)!;
    });
  /** Deliveries to people, all topics, of one memorandum. */
  const total = async (id: string) =>
    Number(
      (
        await t.db.query(
          `SELECT count(*)::int AS n FROM notification_deliveries WHERE memorandum_id = $1 AND channel <> 'webhook'`,
          [id],
        )
      )[0].n,
    );

  let id: string;

  it('submitted: the representatives of every signatory party must decide, the witness is told for information; the coordinator who submitted is not told', async () => {
    id = await create('Бірлік пен келісім');
    await step('coord1', `/memoranda/${id}/submit`, {});
    expect(await recipients(id, 'review_requested')).toEqual(both('repA', 'repB'));
    expect(await recipients(id, 'review_for_information')).toEqual(both('repW'));
    // In the recipient's language, with the link to the page where they decide.
    const link = `${PUBLIC_URL}/app/memoranda/${id}?tab=approvals`;
    const kk = await messageTo(id, 'review_requested', 'repA');
    expect(kk.title).toBe('«Бірлік пен келісім» меморандумы бойынша сіздің шешіміңіз қажет');
    expect(kk.text).toContain('Жастар саясаты басқармасы жобаны қарап');
    expect(kk.text).toContain(link);
    const en = await messageTo(id, 'review_requested', 'repB');
    expect(en.title).toBe('Your decision is needed on the memorandum "Бірлік пен келісім"');
    expect(en.text).toContain(link);
    expect((await mailTo(id, 'review_requested', 'repA')).language).toBe('kk');
    expect((await mailTo(id, 'review_requested', 'repB')).language).toBe('en');
    // In the unread count of the inbox.
    const inbox = await t
      .http()
      .get('/me/notifications?unread=true')
      .set(await as('repA'));
    expect(inbox.body.unreadCount).toBe(1);
    expect(inbox.body.items[0]).toMatchObject({ topic: 'review_requested', memorandumId: id });
    expect(await total(id)).toBe(6);
  });

  it('changes requested: both coordinators, not the representative who asked; resubmitted: the representatives again', async () => {
    await decide('repA', id, 'request_changes');
    expect(await recipients(id, 'changes_requested')).toEqual(both('coord1', 'coord2'));
    const ru = await messageTo(id, 'changes_requested', 'coord2');
    expect(ru.title).toBe('«Бірлік пен келісім»: Жастар саясаты басқармасы запросила изменения');
    expect(ru.text).toContain(`${PUBLIC_URL}/app/memoranda/${id}?tab=approvals`);

    await step('coord1', `/memoranda/${id}/submit`, {});
    const again = await told(id, 'review_requested');
    expect(again.filter((r) => r.channel === 'in_app').map((r) => r.user)).toEqual(
      expect.arrayContaining(['repA', 'repB']),
    );
    expect(again.filter((r) => r.user === 'repA' && r.channel === 'in_app')).toHaveLength(2);
    expect((await messageTo(id, 'review_requested', 'repB')).text).toContain('revision');
  });

  it('a user who turned e-mail off gets notices in-app only, a muted kind likewise; a bad preference is a 400 naming the fields', async () => {
    const prefs = await t
      .http()
      .put('/me/notification-preferences')
      .set(await as('coord2'))
      .send({ mutedTopics: ['memorandum_approved'] });
    expect([prefs.status, prefs.body]).toEqual([
      200,
      { email: true, emailMode: 'each', digestHour: 9, mutedTopics: ['memorandum_approved'] },
    ]);
    const off = await t
      .http()
      .put('/me/notification-preferences')
      .set(await as('sigB'))
      .send({ email: false });
    expect([off.status, off.body]).toEqual([200, { email: false, emailMode: 'off', digestHour: 9, mutedTopics: [] }]);
    expect(
      (
        await t
          .http()
          .get('/me/notification-preferences')
          .set(await as('sigB'))
      ).body,
    ).toEqual({ email: false, emailMode: 'off', digestHour: 9, mutedTopics: [] });
    const bad = await t
      .http()
      .put('/me/notification-preferences')
      .set(await as('sigB'))
      .send({ mutedTopics: ['approval_reminder'], email: 'no' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'mutedTopics']);

    await decide('repA', id, 'approve');
    expect(await recipients(id, 'memorandum_approved')).toEqual({ inApp: [], email: [] });
    await decide('repB', id, 'approve');
    // Approved by all: the coordinators, to open signing; coord2 muted this kind by e-mail.
    expect(await recipients(id, 'memorandum_approved')).toEqual({ inApp: ['coord1', 'coord2'], email: ['coord1'] });
    expect((await messageTo(id, 'memorandum_approved', 'coord1')).text).toContain(
      `${PUBLIC_URL}/app/memoranda/${id}?tab=signing`,
    );
  });

  it('signing opened (parallel): every signatory party’s signatories; sigB in-app only', async () => {
    await step('coord1', `/memoranda/${id}/open-signing`, { mode: 'parallel' });
    expect(await recipients(id, 'signature_requested')).toEqual({ inApp: ['sigA', 'sigB'], email: ['sigA'] });
    const kk = await messageTo(id, 'signature_requested', 'sigB');
    expect(kk.title).toBe('«Бірлік пен келісім» меморандумына қол қойыңыз');
    expect(kk.text).toContain(`${PUBLIC_URL}/app/memoranda/${id}?tab=signing`);
    expect((await mailTo(id, 'signature_requested', 'sigA')).language).toBe('ru');
  });

  it('a party signed: everyone involved but its signer; the last: executed, not "signed" too; active on the effective date: everyone', async () => {
    const everyoneBut = (who: string) =>
      ['coord1', 'coord2', 'repA', 'repB', 'repW', 'sigA', 'sigB'].filter((u) => u !== who);
    await sign('sigA', id);
    expect(await recipients(id, 'memorandum_executed')).toEqual({ inApp: [], email: [] });
    // sigB turned e-mail off: in-app only.
    expect(await recipients(id, 'party_signed')).toEqual({
      inApp: everyoneBut('sigA'),
      email: everyoneBut('sigA').filter((u) => u !== 'sigB'),
    });
    const kk = await messageTo(id, 'party_signed', 'repA');
    expect(kk.title).toBe('«Бірлік пен келісім»: Жастар саясаты басқармасы қол қойды');
    expect(kk.text).toContain(`${PUBLIC_URL}/app/memoranda/${id}?tab=signing`);
    expect((await messageTo(id, 'party_signed', 'coord2')).title).toBe(
      '«Бірлік пен келісім»: Жастар саясаты басқармасы подписала меморандум',
    );
    expect((await mailTo(id, 'party_signed', 'repB')).language).toBe('en');
    await sign('sigB', id);
    // The second and last signature executes the memorandum: that notice tells everyone, once.
    expect((await told(id, 'party_signed')).filter((r) => r.channel === 'in_app')).toHaveLength(6);
    expect(await recipients(id, 'memorandum_executed')).toEqual(both(...everyoneBut('sigB')));
    const signatureEvents = (await t.db.query(
      `SELECT id FROM outbox_events WHERE aggregate_id = $1 AND type = 'signature.recorded'`,
      [id],
    )) as { id: string }[];
    expect(signatureEvents).toHaveLength(2);
    const perEvent = (await t.db.query(
      `SELECT source_id, user_id, channel, count(*)::int AS n FROM notification_deliveries
        WHERE memorandum_id = $1 AND source_type = 'event' AND channel <> 'webhook'
        GROUP BY source_id, user_id, channel HAVING count(*) > 1`,
      [id],
    )) as unknown[];
    expect(perEvent).toEqual([]);
    t.clock.set('2021-10-01T10:00:00+06:00');
    await settle(t);
    await waitFor('activation', async () => (await told(id, 'memorandum_activated')).length > 0);
    await settle(t);
    const all = everyoneBut('nobody');
    expect(await recipients(id, 'memorandum_activated')).toEqual({
      inApp: all,
      email: all.filter((u) => u !== 'sigB'),
    });
    const ru = await messageTo(id, 'memorandum_activated', 'repW');
    expect(ru.title).toBe('Меморандум «Бірлік пен келісім» вступил в силу');
    expect(ru.text).toContain('действует до 2024-09-30');
  });

  it('report filed: the coordinators and the supervisor whose scope covers it, not the one scoped elsewhere nor the reporter', async () => {
    const c = await t
      .http()
      .post(`/memoranda/${id}/commitments`)
      .set(await as('coord1'))
      .send({ title: 'Бірлік күні', leadOrganisationId: orgs.a, dueDate: '2021-10-20' });
    expect([c.status, c.body.message]).toEqual([201, undefined]);
    await settle(t);
    const res = await t
      .http()
      .post(`/commitments/${c.body.id}/reports`)
      .set(await as('repA'))
      .field('report', JSON.stringify({ date: '2021-10-02', summary: 'Concert held' }));
    expect([res.status, res.body.message]).toEqual([201, undefined]);
    await settle(t);
    expect(await recipients(id, 'report_filed')).toEqual(both('coord1', 'coord2', 'supervisor'));
    const en = await messageTo(id, 'report_filed', 'supervisor');
    expect(en.title).toBe('Report: "Бірлік күні" (Жастар саясаты басқармасы)');
    expect(en.text).toContain(`${PUBLIC_URL}/app/memoranda/${id}?tab=commitments`);
  });

  it('overdue: the supervisor in scope at once; the lead party gets its first overdue reminder at the same moment, once', async () => {
    const c = await t
      .http()
      .post(`/memoranda/${id}/commitments`)
      .set(await as('coord1'))
      .send({ title: 'Зерттеу', leadOrganisationId: orgs.b, dueDate: '2021-10-05' });
    expect([c.status, c.body.message]).toEqual([201, undefined]);
    await settle(t);
    t.clock.set('2021-10-06T10:00:00+06:00');
    await settle(t);
    await waitFor('the overdue notice', async () => (await told(id, 'overdue_notice')).length > 0);
    await settle(t);
    expect(await recipients(id, 'overdue_notice')).toEqual(both('supervisor'));
    expect((await messageTo(id, 'overdue_notice', 'supervisor')).title).toBe('Overdue: "Зерттеу" (Жас Отан)');
    const reminder = (await told(id, 'commitment_overdue')).filter((r) => r.title.includes('Зерттеу'));
    expect(reminder.filter((r) => r.channel === 'in_app').map((r) => r.user)).toEqual(['repB']);
  });

  it('terminated: everyone involved but the coordinator who terminated', async () => {
    await step('coord1', `/memoranda/${id}/terminate`, { reason: 'По соглашению сторон', effectiveDate: '2021-10-06' });
    expect((await recipients(id, 'memorandum_terminated')).inApp).toEqual(
      ['coord2', 'repA', 'repB', 'repW', 'sigA', 'sigB'].sort(),
    );
    expect((await messageTo(id, 'memorandum_terminated', 'repA')).title).toBe(
      '«Бірлік пен келісім» меморандумы тоқтатылды',
    );
  });

  it('an outbox event dispatched again tells nobody twice', async () => {
    const before = await total(id);
    const mails = smtp.mails.length;
    const events = (await t.db.query(
      `SELECT id FROM outbox_events WHERE aggregate_id = $1 AND type IN ('memorandum.submitted', 'memorandum.activated', 'report.filed')`,
      [id],
    )) as { id: string }[];
    expect(events).toHaveLength(4);
    await t.db.query(`UPDATE outbox_events SET processed_at = NULL WHERE id = ANY($1::bigint[])`, [
      events.map((e) => e.id),
    ]);
    await settle(t);
    await new Promise((r) => setTimeout(r, 500));
    await settle(t);
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE id = ANY($1::bigint[]) AND processed_at IS NULL`,
      [events.map((e) => e.id)],
    );
    expect(n).toBe(0);
    expect(await total(id)).toBe(before);
    expect(smtp.mails.length).toBe(mails);
    const dup = await t.db.query(
      `SELECT idempotency_key FROM notification_deliveries GROUP BY idempotency_key HAVING count(*) > 1`,
    );
    expect(dup).toEqual([]);
  });

  it('ordered review and sequential signing: only the first undecided party, then the next when the previous decides or signs', async () => {
    const seq = await create('Кезекпен', { orderedReview: true });
    await step('coord1', `/memoranda/${seq}/submit`, {});
    expect((await recipients(seq, 'review_requested')).inApp).toEqual(['repA']);
    expect((await recipients(seq, 'review_for_information')).inApp).toEqual(['repW']);
    await decide('repA', seq, 'approve');
    expect((await recipients(seq, 'review_requested')).inApp).toEqual(['repA', 'repB']);
    await decide('repB', seq, 'approve');
    expect((await recipients(seq, 'memorandum_approved')).inApp).toEqual(['coord1', 'coord2']);
    await step('coord1', `/memoranda/${seq}/open-signing`, { mode: 'sequential' });
    expect((await recipients(seq, 'signature_requested')).inApp).toEqual(['sigA']);
    await sign('sigA', seq);
    expect((await recipients(seq, 'signature_requested')).inApp).toEqual(['sigA', 'sigB']);
    // sigB is asked to sign, not told that party A signed: one event, one message each.
    expect((await recipients(seq, 'party_signed')).inApp).toEqual(['coord1', 'coord2', 'repA', 'repB', 'repW']);
    // Nobody got one step's message twice.
    for (const topic of ['review_requested', 'signature_requested']) {
      const rows = (await told(seq, topic)).filter((r) => r.channel === 'in_app').map((r) => r.user);
      expect(new Set(rows).size).toBe(rows.length);
    }
  });

  it('marks every notification read at once', async () => {
    const res = await t
      .http()
      .post('/me/notifications/read-all')
      .set(await as('coord2'));
    expect(res.status).toBe(200);
    expect(res.body.marked).toBeGreaterThan(3);
    const inbox = await t
      .http()
      .get('/me/notifications')
      .set(await as('coord2'));
    expect(inbox.body.unreadCount).toBe(0);
  });
});
