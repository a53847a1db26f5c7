/**
 * Turn-aware reminders, end to end through the real lifecycle API and worker (BullMQ on Redis):
 * in ordered review only the party whose turn it is gets approval reminders (three, then the
 * escalation), and the next party's series starts when it approves, counted from that moment;
 * the same for signature reminders in sequential signing.
 */
import { Language, Role } from '@kelisim/identity';
import { createOrganisation, createUser, superviseEverything, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';
import { authOf, fastTimers, settle } from './faults/harness';

const DAY_MS = 24 * 3600 * 1000;

describe('reminders follow the turn in ordered review and sequential signing (queue on redis)', () => {
  let t: TestApp;
  let coordinator: TestUser;
  let supervisor: TestUser;
  const reps: TestUser[] = [];
  const sigs: { user: TestUser; fullName: string }[] = [];
  let memorandumId: string;

  beforeAll(async () => {
    t = await startTestApp({ queue: 'redis', withWorker: true, env: fastTimers() });
    const coord = await createOrganisation(t, 'Қоғамдық келісім');
    const oversight = await createOrganisation(t, 'Ішкі саясат басқармасы');
    coordinator = await createUser(t, {
      fullName: 'Парида Мамедова',
      email: 'coord@turns.test',
      organisationId: coord.id,
      roles: [Role.Coordinator],
    });
    supervisor = await createUser(t, {
      fullName: 'Olga Supervisor',
      email: 'supervisor@turns.test',
      organisationId: oversight.id,
      roles: [Role.Supervisor],
      language: Language.English,
    });
    await superviseEverything(t, supervisor);
    const names = ['Жастар саясаты басқармасы', 'Жас Отан', 'Жас Ұлан'];
    const orgs = [];
    for (const [i, name] of names.entries()) {
      const org = await createOrganisation(t, name);
      orgs.push(org);
      reps.push(
        await createUser(t, {
          fullName: `Representative ${i + 1}`,
          email: `rep${i + 1}@turns.test`,
          organisationId: org.id,
          roles: [Role.PartyRepresentative],
          language: Language.English,
        }),
      );
      const fullName = `Signatory ${i + 1}`;
      sigs.push({
        fullName,
        user: await createUser(t, {
          fullName,
          email: `sig${i + 1}@turns.test`,
          organisationId: org.id,
          roles: [Role.Signatory],
          language: Language.English,
        }),
      });
    }
    const created = await t
      .http()
      .post('/memoranda')
      .set(await authOf(t, coordinator))
      .send({
        title: 'Кезекпен келісу',
        purpose: 'Reminders by turn',
        body: 'The parties agree…',
        language: 'kk',
        coordinatingOrganisationId: coord.id,
        orderedReview: true,
      });
    expect(created.status).toBe(201);
    memorandumId = created.body.id;
    for (const [i, org] of orgs.entries()) {
      const p = await t
        .http()
        .post(`/memoranda/${memorandumId}/parties`)
        .set(await authOf(t, coordinator))
        .send({ organisationId: org.id, role: 'signatory', order: i + 1 });
      expect(p.status).toBe(201);
    }
  });
  afterAll(() => t?.close());

  const memorandum = async () =>
    (
      await t
        .http()
        .get(`/memoranda/${memorandumId}`)
        .set(await authOf(t, coordinator))
    ).body as { status: string; currentRevision: { hash: string } };
  const inbox = async (user: TestUser, topic: string): Promise<string[]> => {
    const res = await t
      .http()
      .get('/me/notifications')
      .set(await authOf(t, user))
      .query({ pageSize: 100 });
    expect(res.status).toBe(200);
    return (res.body.items as { topic: string; title: string }[]).filter((n) => n.topic === topic).map((n) => n.title);
  };
  /** How many reminders of `topic` each of the three parties' people got, in party order. */
  const counts = async (people: TestUser[], topic: string) =>
    Promise.all(people.map(async (u) => (await inbox(u, topic)).length));
  const firstReminderOf = async (user: TestUser, kind: string) => {
    const rows = await t.db.query(
      `SELECT due_at, status FROM scheduled_items WHERE memorandum_id = $1 AND organisation_id = $2 AND kind = $3 AND sequence = 1`,
      [memorandumId, user.organisationId, kind],
    );
    return rows.map((r: { due_at: Date; status: string }) => ({
      dueAt: new Date(r.due_at).toISOString(),
      status: r.status,
    }));
  };
  const approve = async (rep: TestUser) => {
    const res = await t
      .http()
      .post(`/memoranda/${memorandumId}/approvals`)
      .set(await authOf(t, rep))
      .send({ decision: 'approve', revisionHash: (await memorandum()).currentRevision.hash });
    expect([res.status, res.body.message]).toEqual([201, undefined]);
  };
  const sign = async (i: number) => {
    const res = await t
      .http()
      .post(`/memoranda/${memorandumId}/signatures`)
      .set(await authOf(t, sigs[i].user))
      .send({
        method: 'electronic',
        revisionHash: (await memorandum()).currentRevision.hash,
        typedName: sigs[i].fullName,
        consent: true,
      });
    expect([res.status, res.body.message]).toEqual([201, undefined]);
  };

  it('in ordered review reminds only the first party (three times, then supervisors), and the second from the moment the first approves', async () => {
    expect(
      (
        await t
          .http()
          .post(`/memoranda/${memorandumId}/submit`)
          .set(await authOf(t, coordinator))
          .send({})
      ).status,
    ).toBe(200);
    await settle(t);
    for (let n = 1; n <= 3; n++) {
      t.clock.advanceDays(3);
      await settle(t, `approval reminder ${n}`);
      expect(await counts(reps, 'approval_reminder')).toEqual([n, 0, 0]);
    }
    t.clock.advanceDays(3);
    await settle(t, 'the review escalation');
    expect(await inbox(supervisor, 'escalation')).toEqual([expect.stringMatching(/stuck in review$/)]);
    t.clock.advanceDays(9);
    await settle(t);
    expect(await counts(reps, 'approval_reminder')).toEqual([3, 0, 0]);
    expect(await inbox(supervisor, 'escalation')).toHaveLength(1);

    // The first party approves at an odd hour: the second party's series counts from then.
    t.clock.advance(29 * 3600 * 1000);
    const approvedAt = t.clock.now().getTime();
    await approve(reps[0]);
    await settle(t);
    expect(await firstReminderOf(reps[1], 'approval_reminder')).toEqual([
      { dueAt: new Date(approvedAt + 3 * DAY_MS).toISOString(), status: expect.stringMatching(/pending|enqueued/) },
    ]);
    expect(await firstReminderOf(reps[2], 'approval_reminder')).toEqual([]);
    t.clock.advance(3 * DAY_MS - 60_000);
    await settle(t);
    expect(await counts(reps, 'approval_reminder')).toEqual([3, 0, 0]);
    t.clock.advance(60_000);
    await settle(t, "the second party's first reminder");
    expect(await counts(reps, 'approval_reminder')).toEqual([3, 1, 0]);

    await approve(reps[1]);
    await settle(t);
    t.clock.advanceDays(3);
    await settle(t, "the third party's first reminder");
    expect(await counts(reps, 'approval_reminder')).toEqual([3, 1, 1]);
    await approve(reps[2]);
    expect((await memorandum()).status).toBe('approved');
    t.clock.advanceDays(9);
    await settle(t);
    expect(await counts(reps, 'approval_reminder')).toEqual([3, 1, 1]);
    expect(await inbox(supervisor, 'escalation')).toHaveLength(1);
  });

  it('in sequential signing reminds only the first signatory (three times, then supervisors), and the next one from the moment it signs', async () => {
    const signers = sigs.map((s) => s.user);
    const opened = await t
      .http()
      .post(`/memoranda/${memorandumId}/open-signing`)
      .set(await authOf(t, coordinator))
      .send({ mode: 'sequential' });
    expect(opened.status).toBe(200);
    await settle(t);
    for (let n = 1; n <= 3; n++) {
      t.clock.advanceDays(2);
      await settle(t, `signature reminder ${n}`);
      expect(await counts(signers, 'signature_reminder')).toEqual([n, 0, 0]);
    }
    t.clock.advanceDays(2);
    await settle(t, 'the signing escalation');
    expect(await inbox(supervisor, 'escalation')).toEqual([
      expect.stringMatching(/stuck in signing$/),
      expect.stringMatching(/stuck in review$/),
    ]);
    t.clock.advanceDays(6);
    await settle(t);
    expect(await counts(signers, 'signature_reminder')).toEqual([3, 0, 0]);

    t.clock.advance(7 * 3600 * 1000);
    const signedAt = t.clock.now().getTime();
    await sign(0);
    await settle(t);
    expect(await firstReminderOf(signers[1], 'signature_reminder')).toEqual([
      { dueAt: new Date(signedAt + 2 * DAY_MS).toISOString(), status: expect.stringMatching(/pending|enqueued/) },
    ]);
    expect(await firstReminderOf(signers[2], 'signature_reminder')).toEqual([]);
    t.clock.advance(2 * DAY_MS - 60_000);
    await settle(t);
    expect(await counts(signers, 'signature_reminder')).toEqual([3, 0, 0]);
    t.clock.advance(60_000);
    await settle(t, "the second signatory's first reminder");
    expect(await counts(signers, 'signature_reminder')).toEqual([3, 1, 0]);

    await sign(1);
    await settle(t);
    t.clock.advanceDays(2);
    await settle(t, "the third signatory's first reminder");
    expect(await counts(signers, 'signature_reminder')).toEqual([3, 1, 1]);
    await sign(2);
    expect((await memorandum()).status).toMatch(/^(executed|active)$/);
    await settle(t);
    const open = await t.db.query(
      `SELECT kind FROM scheduled_items WHERE memorandum_id = $1 AND status IN ('pending', 'enqueued') AND kind IN ('approval_reminder', 'signature_reminder', 'escalation')`,
      [memorandumId],
    );
    expect(open).toEqual([]);
  });
});
