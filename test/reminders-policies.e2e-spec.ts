/**
 * Reminder policies per memorandum: defaults from the design, read by its coordinators and
 * supervisors, changed only by a coordinator of the coordinating organisation, and applied.
 */
import { Language, Role } from '@kelisim/identity';
import { createOrganisation, createUser, superviseEverything, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';
import { authOf, fastTimers, settle } from './faults/harness';

describe('reminder policies (GET/PUT /memoranda/{id}/reminder-policies)', () => {
  let t: TestApp;
  let coordinator: TestUser;
  let otherCoordinator: TestUser;
  let rep: TestUser;
  let supervisor: TestUser;
  let memorandumId: string;

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres', withWorker: true, env: fastTimers() });
    const coord = await createOrganisation(t, 'Қоғамдық келісім');
    const party = await createOrganisation(t, 'Жас Отан');
    const elsewhere = await createOrganisation(t, 'Another coordinator');
    const oversight = await createOrganisation(t, 'Oversight');
    coordinator = await createUser(t, {
      fullName: 'Coordinator',
      email: 'c@p.test',
      organisationId: coord.id,
      roles: [Role.Coordinator],
    });
    otherCoordinator = await createUser(t, {
      fullName: 'Other coordinator',
      email: 'oc@p.test',
      organisationId: elsewhere.id,
      roles: [Role.Coordinator],
    });
    rep = await createUser(t, {
      fullName: 'Rep',
      email: 'r@p.test',
      organisationId: party.id,
      roles: [Role.PartyRepresentative],
      language: Language.English,
    });
    supervisor = await createUser(t, {
      fullName: 'Supervisor',
      email: 's@p.test',
      organisationId: oversight.id,
      roles: [Role.Supervisor],
    });
    await superviseEverything(t, supervisor);
    const created = await t.http().post('/memoranda').set(coordinator.auth).send({
      title: 'Policies',
      purpose: 'p',
      body: 'b',
      language: 'en',
      effectiveDate: '2021-11-01',
      endDate: '2022-11-01',
      coordinatingOrganisationId: coord.id,
    });
    memorandumId = created.body.id;
    for (const organisationId of [coord.id, party.id]) {
      await t
        .http()
        .post(`/memoranda/${memorandumId}/parties`)
        .set(coordinator.auth)
        .send({ organisationId, role: 'signatory' })
        .expect(201);
    }
  });
  afterAll(() => t?.close());

  const url = () => `/memoranda/${memorandumId}/reminder-policies`;

  it('shows the defaults of the design to the coordinator and supervisors, and refuses others', async () => {
    const res = await t.http().get(url()).set(coordinator.auth);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        kind: 'review',
        intervalDays: 3,
        maxCount: 3,
        escalateTo: 'supervisors',
        isDefault: true,
      }),
      expect.objectContaining({
        kind: 'signing',
        intervalDays: 2,
        maxCount: 3,
        escalateTo: 'supervisors',
        isDefault: true,
      }),
      expect.objectContaining({ kind: 'term_end', offsetsDays: [90, 30], isDefault: true }),
      expect.objectContaining({ kind: 'commitment_due', offsetsDays: [7, 1], isDefault: true }),
      expect.objectContaining({
        kind: 'commitment_overdue',
        intervalDays: 7,
        maxCount: 2,
        escalateTo: 'supervisors',
        isDefault: true,
      }),
    ]);
    expect((await t.http().get(url()).set(supervisor.auth)).status).toBe(200);
    expect((await t.http().get(url()).set(rep.auth)).status).toBe(403);
    expect(
      (await t.http().get('/memoranda/00000000-0000-4000-8000-000000000000/reminder-policies').set(coordinator.auth))
        .status,
    ).toBe(404);
  });

  it("another organisation's memorandum answers exactly as a random id: 404 to read and to change (hole 10)", async () => {
    const random = '/memoranda/00000000-0000-4000-8000-000000000000/reminder-policies';
    for (const [method, body] of [
      ['get', undefined],
      ['put', { items: [{ kind: 'review', intervalDays: 1 }] }],
    ] as const) {
      const existing = await t.http()[method](url()).set(otherCoordinator.auth).send(body);
      const unknown = await t.http()[method](random).set(otherCoordinator.auth).send(body);
      expect([existing.status, existing.body.code]).toEqual([404, 'not_found']);
      expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
    }
  });

  it('PUT takes a DTO: unknown fields refused, one item per kind at most (hole 11)', async () => {
    const unknown = await t
      .http()
      .put(url())
      .set(coordinator.auth)
      .send({ items: [{ kind: 'review', colour: 'red' }], extra: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'items[0].colour']);
    const many = await t
      .http()
      .put(url())
      .set(coordinator.auth)
      .send({ items: Array.from({ length: 20_000 }, () => ({ kind: 'review', intervalDays: 2 })) });
    expect(many.status).toBe(400);
    expect(many.body.errors[0]).toMatchObject({ field: 'items' });
    const twice = await t
      .http()
      .put(url())
      .set(coordinator.auth)
      .send({
        items: [
          { kind: 'review', intervalDays: 2 },
          { kind: 'review', intervalDays: 4 },
        ],
      });
    expect(twice.status).toBe(400);
    expect(twice.body.errors).toEqual([{ field: 'items[1].kind', message: 'each kind at most once' }]);
    expect((await t.db.query('SELECT count(*)::int AS n FROM reminder_policies'))[0].n).toBe(0);
  });

  it('lets only the coordinating organisation change them, validates, and applies the change', async () => {
    expect(
      (
        await t
          .http()
          .put(url())
          .set(otherCoordinator.auth)
          .send({ items: [{ kind: 'review', intervalDays: 1 }] })
      ).status,
    ).toBe(404);
    expect(
      (
        await t
          .http()
          .put(url())
          .set(supervisor.auth)
          .send({ items: [{ kind: 'review', intervalDays: 1 }] })
      ).status,
    ).toBe(403);
    const bad = await t
      .http()
      .put(url())
      .set(coordinator.auth)
      .send({ items: [{ kind: 'review', intervalDays: 0 }, { kind: 'nope' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['items[0].intervalDays', 'items[1].kind']);

    const put = await t
      .http()
      .put(url())
      .set(coordinator.auth)
      .send({ items: [{ kind: 'review', intervalDays: 1, maxCount: 1, escalateTo: 'none' }] });
    expect(put.status).toBe(200);
    expect(put.body.items[0]).toMatchObject({
      kind: 'review',
      intervalDays: 1,
      maxCount: 1,
      escalateTo: 'none',
      isDefault: false,
    });
    expect(put.body.items[1]).toMatchObject({ kind: 'signing', isDefault: true });

    const submitted = await t.http().post(`/memoranda/${memorandumId}/submit`).set(coordinator.auth).send({});
    expect([submitted.status, submitted.body.message]).toEqual([200, undefined]);
    await settle(t);
    t.clock.advanceDays(1);
    await settle(t, 'the one reminder');
    t.clock.advanceDays(5);
    await settle(t);
    const inbox = await t
      .http()
      .get('/me/notifications')
      .set(await authOf(t, rep));
    // One reminder (maxCount 1), after the notice the submission sent at once (docs/notifications.md).
    expect(inbox.body.items.map((n: { topic: string }) => n.topic)).toEqual(['approval_reminder', 'review_requested']);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE topic = 'escalation'`);
    expect(n).toBe(0);
  });
});
