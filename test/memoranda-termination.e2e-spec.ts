/**
 * Termination with a date, end to end through the lifecycle API, the real worker and a
 * ManualClock: a future date leaves the memorandum active with the termination pending until the
 * schedule's `termination` item ends it at 00:00 of that date (Asia/Almaty); today's date ends it
 * at once; a second termination while one is pending is refused; an expiry that comes first wins.
 */
import { MemorandumTransitionsService } from '@kelisim/memoranda';
import { Language, Role } from '@kelisim/identity';
import { createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';
import { authOf, fastTimers, settle, waitFor } from './faults/harness';

describe('termination on a date (timed)', () => {
  let t: TestApp;
  let coordinator: TestUser;
  let repA: TestUser;
  let sigA: TestUser;
  let repB: TestUser;
  let sigB: TestUser;
  let coordOrg: string;
  let orgA: string;
  let orgB: string;

  beforeAll(async () => {
    // The clock starts at 2021-09-20T09:00+05:00, i.e. 10:00 on 2021-09-20 in Asia/Almaty.
    t = await startTestApp({ withWorker: true, env: fastTimers() });
    coordOrg = (await createOrganisation(t, 'Қоғамдық келісім')).id;
    orgA = (await createOrganisation(t, 'Жастар саясаты басқармасы')).id;
    orgB = (await createOrganisation(t, 'Жас Отан')).id;
    coordinator = await createUser(t, {
      fullName: 'Парида Мамедова',
      email: 'coord@term.test',
      organisationId: coordOrg,
      roles: [Role.Coordinator],
      language: Language.Russian,
    });
    repA = await createUser(t, {
      fullName: 'Айгерім Сәрсенова',
      email: 'rep.a@term.test',
      organisationId: orgA,
      roles: [Role.PartyRepresentative],
    });
    sigA = await createUser(t, {
      fullName: 'Ерлан Қасымов',
      email: 'sig.a@term.test',
      organisationId: orgA,
      roles: [Role.Signatory],
    });
    repB = await createUser(t, {
      fullName: 'Мария Ким',
      email: 'rep.b@term.test',
      organisationId: orgB,
      roles: [Role.PartyRepresentative],
    });
    sigB = await createUser(t, {
      fullName: 'Асқар Беков',
      email: 'sig.b@term.test',
      organisationId: orgB,
      roles: [Role.Signatory],
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A memorandum of two signatory parties, reviewed, signed and active from today. */
  async function activeMemorandum(endDate: string): Promise<string> {
    const c = await authOf(t, coordinator);
    const created = await t
      .http()
      .post('/memoranda')
      .set(c)
      .send({
        title: `Меморандум ${endDate} ${Math.random().toString(36).slice(2, 6)}`,
        purpose: 'Бірлік пен келісім',
        body: 'Стороны договорились…',
        language: 'ru',
        timeZone: 'Asia/Almaty',
        effectiveDate: '2021-09-20',
        endDate,
        coordinatingOrganisationId: coordOrg,
      });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    for (const org of [orgA, orgB])
      expect(
        (await t.http().post(`/memoranda/${id}/parties`).set(c).send({ organisationId: org, role: 'signatory' }))
          .status,
      ).toBe(201);
    const submitted = await t.http().post(`/memoranda/${id}/submit`).set(c).send({});
    expect(submitted.status).toBe(200);
    const revisionHash: string = submitted.body.currentRevision.hash;
    for (const rep of [repA, repB])
      expect(
        (
          await t
            .http()
            .post(`/memoranda/${id}/approvals`)
            .set(await authOf(t, rep))
            .send({ decision: 'approve', revisionHash })
        ).status,
      ).toBe(201);
    expect((await t.http().post(`/memoranda/${id}/open-signing`).set(c).send({ mode: 'parallel' })).status).toBe(200);
    for (const [sig, typedName] of [
      [sigA, 'Ерлан Қасымов'],
      [sigB, 'Асқар Беков'],
    ] as const) {
      const signed = await t
        .http()
        .post(`/memoranda/${id}/signatures`)
        .set(await authOf(t, sig))
        .send({ method: 'electronic', revisionHash, typedName, consent: true });
      expect(signed.status).toBe(201);
    }
    expect(await memorandum(id)).toMatchObject({ status: 'active' });
    await settle(t);
    return id;
  }

  const memorandum = async (id: string) => {
    const res = await t
      .http()
      .get(`/memoranda/${id}`)
      .set(await authOf(t, coordinator));
    expect(res.status).toBe(200);
    return res.body;
  };
  const history = async (
    id: string,
  ): Promise<{ action: string; fromStatus: string; toStatus: string; reason: string | null }[]> => {
    const res = await t
      .http()
      .get(`/memoranda/${id}/history`)
      .set(await authOf(t, coordinator));
    expect(res.status).toBe(200);
    return res.body.items;
  };
  const terminate = async (id: string, body: Record<string, unknown>) =>
    t
      .http()
      .post(`/memoranda/${id}/terminate`)
      .set(await authOf(t, coordinator))
      .send(body);
  const items = (id: string, kind: string): Promise<{ status: string; due_at: Date; outcome: string | null }[]> =>
    t.db.query(`SELECT status, due_at, outcome FROM scheduled_items WHERE memorandum_id = $1 AND kind = $2`, [
      id,
      kind,
    ]);

  it("terminates at once when the date is today in the memorandum's time zone", async () => {
    const id = await activeMemorandum('2023-09-20');
    const res = await terminate(id, { reason: 'По соглашению сторон', effectiveDate: '2021-09-20' });
    expect([res.status, res.body.message]).toEqual([200, undefined]);
    expect(res.body).toMatchObject({
      status: 'terminated',
      terminationDate: '2021-09-20',
      pendingTermination: null,
      allowedActions: [],
    });
    expect((await history(id)).filter((e) => e.action === 'terminate')).toHaveLength(1);
    expect((await history(id)).filter((e) => e.action === 'schedule_termination')).toHaveLength(0);
    await settle(t);
    expect(await items(id, 'termination')).toHaveLength(0);
  });

  it('keeps the memorandum active with the termination pending until 00:00 of its date, then terminates it exactly once', async () => {
    const id = await activeMemorandum('2023-09-20');
    const res = await terminate(id, { reason: 'Программа завершена досрочно', effectiveDate: '2021-10-01' });
    expect([res.status, res.body.message]).toEqual([200, undefined]);
    expect(res.body).toMatchObject({
      status: 'active',
      terminationDate: null,
      pendingTermination: { date: '2021-10-01', reason: 'Программа завершена досрочно' },
      allowedActions: ['terminate', 'renew', 'amend'],
    });
    expect(await memorandum(id)).toMatchObject({
      status: 'active',
      pendingTermination: { date: '2021-10-01', reason: 'Программа завершена досрочно' },
    });
    expect((await history(id)).at(-1)).toMatchObject({
      action: 'schedule_termination',
      fromStatus: 'active',
      toStatus: 'active',
      reason: 'Программа завершена досрочно',
    });

    await settle(t);
    const scheduled = await items(id, 'termination');
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0].due_at.toISOString()).toBe(new Date('2021-10-01T00:00:00+06:00').toISOString());

    // A second termination while one is pending is refused and changes nothing.
    const again = await terminate(id, { reason: 'Ещё раз', effectiveDate: '2021-09-25' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'termination_already_scheduled',
      details: { pendingTerminationDate: '2021-10-01' },
    });
    const now = await terminate(id, { reason: 'Немедленно' });
    expect(now.status).toBe(409);
    expect(now.body.code).toBe('termination_already_scheduled');
    expect(await memorandum(id)).toMatchObject({
      status: 'active',
      pendingTermination: { date: '2021-10-01', reason: 'Программа завершена досрочно' },
    });

    // The evening before, in Almaty: still active.
    t.clock.set('2021-09-30T23:50:00+06:00');
    await settle(t);
    expect(await memorandum(id)).toMatchObject({ status: 'active' });

    t.clock.set('2021-10-01T00:00:05+06:00');
    await settle(t, 'the termination');
    await waitFor('status terminated', async () => (await memorandum(id)).status === 'terminated');
    expect(await memorandum(id)).toMatchObject({
      status: 'terminated',
      terminationDate: '2021-10-01',
      pendingTermination: null,
      allowedActions: [],
    });
    expect(await items(id, 'termination')).toEqual([expect.objectContaining({ status: 'done', outcome: 'applied' })]);

    // Firing it again (a retried job) changes nothing.
    const transitions = t.app.get(MemorandumTransitionsService);
    expect(await transitions.applyTimedTransition(id, 'terminate', new Date('2021-10-01T00:00:00+06:00'))).toBe(
      'skipped',
    );
    t.clock.advanceDays(3);
    await settle(t);

    const events = await history(id);
    const terminated = events.filter((e) => e.action === 'terminated');
    expect(terminated).toHaveLength(1);
    expect(terminated[0]).toMatchObject({
      fromStatus: 'active',
      toStatus: 'terminated',
      reason: 'Программа завершена досрочно',
    });
    expect(events.filter((e) => e.toStatus === 'terminated')).toHaveLength(1);
    const [outbox] = await t.db.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = $1 AND type = 'memorandum.terminated'`,
      [id],
    );
    expect(outbox.n).toBe(1);
    // Everything else that was pending (the expiry, term notices) is cancelled.
    const [open] = await t.db.query(
      `SELECT count(*)::int AS n FROM scheduled_items WHERE memorandum_id = $1 AND status IN ('pending', 'enqueued')`,
      [id],
    );
    expect(open.n).toBe(0);
    expect(
      (
        await t
          .http()
          .get(`/memoranda/${id}/history/verify`)
          .set(await authOf(t, coordinator))
      ).body,
    ).toMatchObject({ valid: true });
  });

  it('lets an expiry that comes before the termination date win: the termination is then skipped', async () => {
    const id = await activeMemorandum('2021-11-15');
    const res = await terminate(id, { reason: 'После окончания срока', effectiveDate: '2021-12-01' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'active', pendingTermination: { date: '2021-12-01' } });
    await settle(t);

    t.clock.set('2021-11-15T00:00:05+06:00');
    await settle(t, 'the expiry');
    await waitFor('status expired', async () => (await memorandum(id)).status === 'expired');
    expect(await memorandum(id)).toMatchObject({ status: 'expired', pendingTermination: null, terminationDate: null });

    t.clock.set('2021-12-01T00:00:05+06:00');
    await settle(t);
    expect(await memorandum(id)).toMatchObject({ status: 'expired' });
    expect(await items(id, 'termination')).toEqual([
      expect.objectContaining({ status: expect.stringMatching(/cancelled|done/) }),
    ]);
    const transitions = t.app.get(MemorandumTransitionsService);
    expect(await transitions.applyTimedTransition(id, 'terminate', new Date('2021-12-01T00:00:00+06:00'))).toBe(
      'skipped',
    );
    expect((await history(id)).filter((e) => e.toStatus === 'terminated')).toHaveLength(0);
    expect(
      (
        await t
          .http()
          .get(`/memoranda/${id}/history/verify`)
          .set(await authOf(t, coordinator))
      ).body,
    ).toMatchObject({ valid: true });
  });
});
