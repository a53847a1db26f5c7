/**
 * The headline of issue #4, end to end through the real lifecycle API, the real worker (BullMQ on
 * Redis, then on PostgreSQL), a real SMTP peer and a ManualClock: a party that stays silent in
 * review gets exactly three reminders in its people's languages, then supervisors get an
 * escalation; a party that decided gets no more; the same in signing; then activation on the
 * effective date, notices 90 and 30 days before the end date, and expiry at it.
 */
import { Language, Role } from '@kelisim/identity';
import { createOrganisation, createUser, superviseEverything, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';
import { authOf, fastTimers, settle, SmtpPeer, startSmtpPeer, waitFor } from './faults/harness';

/** In-app notifications of a user by topic. */
async function inbox(t: TestApp, user: TestUser, topic?: string): Promise<{ topic: string; title: string }[]> {
  const res = await t
    .http()
    .get('/me/notifications')
    .set(await authOf(t, user))
    .query({ pageSize: 100 });
  expect(res.status).toBe(200);
  return (res.body.items as { topic: string; title: string }[]).filter((n) => !topic || n.topic === topic);
}

async function mailsTo(t: TestApp, smtp: SmtpPeer, user: TestUser, topic: string) {
  const rows: { id: string }[] = await t.db.query(
    `SELECT id FROM notification_deliveries WHERE user_id = $1 AND topic = $2 AND channel = 'email'`,
    [user.id, topic],
  );
  const ids = new Set(rows.map((r) => r.id));
  return smtp.mails.filter((m) => m.deliveryId && ids.has(m.deliveryId));
}

describe.each(['redis', 'postgres'] as const)('reminders, escalations and timed transitions (queue on %s)', (queue) => {
  let t: TestApp;
  let smtp: SmtpPeer;
  let coordinator: TestUser;
  let repA1: TestUser;
  let repA2: TestUser;
  let sigA: TestUser;
  let repB: TestUser;
  let sigB: TestUser;
  let supervisor: TestUser;
  let memorandumId: string;

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    t = await startTestApp({ queue, withWorker: true, env: fastTimers({ SMTP_URL: smtp.url }) });
    const coord = await createOrganisation(t, 'Қоғамдық келісім');
    const a = await createOrganisation(t, 'Жастар саясаты басқармасы');
    const b = await createOrganisation(t, 'Жас Отан');
    const oversight = await createOrganisation(t, 'Ішкі саясат басқармасы');
    coordinator = await createUser(t, {
      fullName: 'Парида Мамедова',
      email: 'coord@kelisim.test',
      organisationId: coord.id,
      roles: [Role.Coordinator],
      language: Language.Russian,
    });
    repA1 = await createUser(t, {
      fullName: 'Айгерім Сәрсенова',
      email: 'rep.a1@kelisim.test',
      organisationId: a.id,
      roles: [Role.PartyRepresentative],
      language: Language.Kazakh,
    });
    repA2 = await createUser(t, {
      fullName: 'Daniyar Omarov',
      email: 'rep.a2@kelisim.test',
      organisationId: a.id,
      roles: [Role.PartyRepresentative],
      language: Language.English,
    });
    sigA = await createUser(t, {
      fullName: 'Ерлан Қасымов',
      email: 'sig.a@kelisim.test',
      organisationId: a.id,
      roles: [Role.Signatory],
      language: Language.Russian,
    });
    repB = await createUser(t, {
      fullName: 'Мария Ким',
      email: 'rep.b@kelisim.test',
      organisationId: b.id,
      roles: [Role.PartyRepresentative],
      language: Language.Russian,
    });
    sigB = await createUser(t, {
      fullName: 'Асқар Беков',
      email: 'sig.b@kelisim.test',
      organisationId: b.id,
      roles: [Role.Signatory],
      language: Language.Kazakh,
    });
    supervisor = await createUser(t, {
      fullName: 'Olga Supervisor',
      email: 'supervisor@kelisim.test',
      organisationId: oversight.id,
      roles: [Role.Supervisor],
      language: Language.English,
    });
    await superviseEverything(t, supervisor);

    const created = await t
      .http()
      .post('/memoranda')
      .set(await authOf(t, coordinator))
      .send({
        title: 'Меморандум о сотрудничестве в сфере молодёжной политики',
        purpose: 'Бірлік пен келісім',
        body: 'Стороны договорились…',
        language: 'ru',
        effectiveDate: '2021-11-01',
        endDate: '2022-03-01',
        coordinatingOrganisationId: coord.id,
      });
    expect(created.status).toBe(201);
    memorandumId = created.body.id;
    for (const org of [a, b]) {
      const p = await t
        .http()
        .post(`/memoranda/${memorandumId}/parties`)
        .set(await authOf(t, coordinator))
        .send({ organisationId: org.id, role: 'signatory' });
      expect(p.status).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const hash = async () =>
    (
      await t
        .http()
        .get(`/memoranda/${memorandumId}`)
        .set(await authOf(t, coordinator))
    ).body.currentRevision.hash as string;
  const status = async () =>
    (
      await t
        .http()
        .get(`/memoranda/${memorandumId}`)
        .set(await authOf(t, coordinator))
    ).body.status as string;

  it("reminds the silent party three times in each person's language, then escalates to supervisors; the party that approved gets none", async () => {
    const submitted = await t
      .http()
      .post(`/memoranda/${memorandumId}/submit`)
      .set(await authOf(t, coordinator))
      .send({});
    expect([submitted.status, submitted.body.message]).toEqual([200, undefined]);
    expect(
      (
        await t
          .http()
          .post(`/memoranda/${memorandumId}/approvals`)
          .set(await authOf(t, repB))
          .send({ decision: 'approve', revisionHash: await hash() })
      ).status,
    ).toBe(201);
    await settle(t);
    const items = await t.db.query(
      `SELECT kind, organisation_id, status FROM scheduled_items WHERE memorandum_id = $1 ORDER BY organisation_id`,
      [memorandumId],
    );
    expect(items).toEqual(
      expect.arrayContaining([
        {
          kind: 'approval_reminder',
          organisation_id: repA1.organisationId,
          status: expect.stringMatching(/pending|enqueued/),
        },
        { kind: 'approval_reminder', organisation_id: repB.organisationId, status: 'cancelled' },
      ]),
    );

    for (let n = 1; n <= 3; n++) {
      t.clock.advanceDays(3);
      await settle(t, `approval reminder ${n}`);
      expect(await inbox(t, repA1, 'approval_reminder')).toHaveLength(n);
      expect(await inbox(t, repA2, 'approval_reminder')).toHaveLength(n);
      expect(await mailsTo(t, smtp, repA1, 'approval_reminder')).toHaveLength(n);
      expect(await inbox(t, supervisor, 'escalation')).toHaveLength(0);
    }
    const kk = await mailsTo(t, smtp, repA1, 'approval_reminder');
    expect(kk.map((m) => m.language)).toEqual(['kk', 'kk', 'kk']);
    expect(kk[0].subject).toMatch(/^Еске салу: «Меморандум о сотрудничестве/);
    expect(kk.map((m) => m.to)).toEqual([[repA1.email], [repA1.email], [repA1.email]]);
    const en = await mailsTo(t, smtp, repA2, 'approval_reminder');
    expect(en.map((m) => m.subject)).toEqual(
      Array(3).fill(
        'Reminder: your decision on the memorandum "Меморандум о сотрудничестве в сфере молодёжной политики" is awaited',
      ),
    );
    expect((await inbox(t, repA1, 'approval_reminder'))[0].title).toMatch(/^Еске салу/);

    t.clock.advanceDays(3);
    await settle(t, 'the escalation');
    const escalations = await inbox(t, supervisor, 'escalation');
    expect(escalations).toHaveLength(1);
    expect(escalations[0].title).toMatch(/^Escalation: .* is stuck in review$/);
    expect(await mailsTo(t, smtp, supervisor, 'escalation')).toHaveLength(1);
    expect(await inbox(t, repB, 'approval_reminder')).toHaveLength(0);
    expect(await mailsTo(t, smtp, repB, 'approval_reminder')).toHaveLength(0);

    // Nothing more for this revision, however long it stays silent.
    t.clock.advanceDays(9);
    await settle(t);
    expect(await inbox(t, repA1, 'approval_reminder')).toHaveLength(3);
    expect(await inbox(t, supervisor, 'escalation')).toHaveLength(1);
  });

  it('after approval, signing reminders go to the signatory who does not sign; the one who signed gets no more', async () => {
    expect(
      (
        await t
          .http()
          .post(`/memoranda/${memorandumId}/approvals`)
          .set(await authOf(t, repA1))
          .send({ decision: 'approve', revisionHash: await hash() })
      ).status,
    ).toBe(201);
    expect(await status()).toBe('approved');
    expect(
      (
        await t
          .http()
          .post(`/memoranda/${memorandumId}/open-signing`)
          .set(await authOf(t, coordinator))
          .send({ mode: 'parallel' })
      ).status,
    ).toBe(200);
    await settle(t);
    t.clock.advanceDays(2);
    await settle(t, 'signature reminder 1');
    expect(await inbox(t, sigA, 'signature_reminder')).toHaveLength(1);
    expect(await inbox(t, sigB, 'signature_reminder')).toHaveLength(1);
    const signed = await t
      .http()
      .post(`/memoranda/${memorandumId}/signatures`)
      .set(await authOf(t, sigB))
      .send({ method: 'electronic', revisionHash: await hash(), typedName: 'Асқар Беков', consent: true });
    expect(signed.status).toBe(201);
    for (let n = 2; n <= 3; n++) {
      t.clock.advanceDays(2);
      await settle(t, `signature reminder ${n}`);
    }
    t.clock.advanceDays(2);
    await settle(t, 'the signing escalation');
    expect(await inbox(t, sigA, 'signature_reminder')).toHaveLength(3);
    expect(await mailsTo(t, smtp, sigA, 'signature_reminder')).toHaveLength(3);
    expect((await mailsTo(t, smtp, sigA, 'signature_reminder'))[0].subject).toMatch(/^Напоминание: ожидается подпись/);
    expect(await inbox(t, sigB, 'signature_reminder')).toHaveLength(1);
    expect(await inbox(t, repA1, 'signature_reminder')).toHaveLength(0);
    const escalations = await inbox(t, supervisor, 'escalation');
    expect(escalations.map((e) => e.title)).toEqual([
      expect.stringMatching(/stuck in signing$/),
      expect.stringMatching(/stuck in review$/),
    ]);
  });

  it('activates on the effective date, sends notices 90 and 30 days before the end date (moved by a renewal), and expires at it', async () => {
    const signed = await t
      .http()
      .post(`/memoranda/${memorandumId}/signatures`)
      .set(await authOf(t, sigA))
      .send({ method: 'electronic', revisionHash: await hash(), typedName: 'Ерлан Қасымов', consent: true });
    expect(signed.status).toBe(201);
    expect(await status()).toBe('executed');
    await settle(t);
    t.clock.set('2021-10-31T23:30:00+06:00');
    await settle(t);
    expect(await status()).toBe('executed');
    t.clock.set('2021-11-01T00:00:05+06:00');
    await settle(t, 'the activation');
    await waitFor('status active', async () => (await status()) === 'active');

    t.clock.set('2021-12-01T08:59:00+06:00');
    await settle(t);
    expect(await inbox(t, repB, 'term_notice')).toHaveLength(0);
    t.clock.set('2021-12-01T09:00:00+06:00');
    await settle(t, 'the 90-day notice');
    for (const u of [repA1, repA2, repB, coordinator]) expect(await inbox(t, u, 'term_notice')).toHaveLength(1);
    expect((await inbox(t, repB, 'term_notice'))[0].title).toBe(
      'Срок меморандума «Меморандум о сотрудничестве в сфере молодёжной политики» истекает через 90 дней',
    );
    expect(await inbox(t, sigA, 'term_notice')).toHaveLength(0);

    // Renewed to 2022-06-01: the notice and the expiry for the old end date are replaced.
    const renewed = await t
      .http()
      .post(`/memoranda/${memorandumId}/renew`)
      .set(await authOf(t, coordinator))
      .send({ endDate: '2022-06-01' });
    expect([renewed.status, renewed.body.message]).toEqual([200, undefined]);
    await settle(t);
    t.clock.set('2022-01-30T09:00:00+06:00');
    await settle(t);
    t.clock.set('2022-03-01T00:00:01+06:00');
    await settle(t);
    expect(await status()).toBe('active');
    expect(await inbox(t, repA2, 'term_notice')).toHaveLength(1);

    t.clock.set('2022-03-03T09:00:00+06:00');
    await settle(t, 'the 90-day notice of the new term');
    t.clock.set('2022-05-02T09:00:00+06:00');
    await settle(t, 'the 30-day notice of the new term');
    expect((await inbox(t, repA2, 'term_notice')).map((n) => n.title)).toEqual([
      'The memorandum "Меморандум о сотрудничестве в сфере молодёжной политики" ends in 30 days',
      'The memorandum "Меморандум о сотрудничестве в сфере молодёжной политики" ends in 90 days',
      'The memorandum "Меморандум о сотрудничестве в сфере молодёжной политики" ends in 90 days',
    ]);
    expect(await mailsTo(t, smtp, repA2, 'term_notice')).toHaveLength(3);
    expect(await status()).toBe('active');

    t.clock.set('2022-06-01T00:00:01+06:00');
    await settle(t, 'the expiry');
    await waitFor('status expired', async () => (await status()) === 'expired');

    // Nobody received the same message twice.
    const ids = smtp.mails.map((m) => m.deliveryId);
    expect(new Set(ids).size).toBe(ids.length);
    const [dupes] = await t.db.query(
      `SELECT count(*)::int AS n FROM (SELECT user_id, topic, source_id FROM notification_deliveries WHERE channel = 'email' GROUP BY 1, 2, 3 HAVING count(*) > 1) d`,
    );
    expect(dupes.n).toBe(0);
  });
});
