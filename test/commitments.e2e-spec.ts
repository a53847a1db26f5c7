/**
 * Commitments of the Taraz memorandum through HTTP on the real app and database: written in the
 * draft they are part of the revision and its hash; once signed they change only through an
 * amendment; while active the coordinator adds plan commitments; the status machine, occurrences
 * and the overdue timed transition (in the memorandum's time zone, with a ManualClock).
 */
import { CommitmentTimersService } from '@kelisim/commitments';
import { revisionHash, RevisionCommitment } from '@kelisim/memoranda';
import { TARAZ_MEMORANDUM } from '../apps/cli/src/demo/taraz-memorandum';
import {
  addTarazCommitments,
  createTaraz,
  draftTarazMemorandum,
  getMemorandum,
  moveClock,
  person,
  signByAll,
  SIGNATORY_KEYS,
  submitAndApprove,
  Taraz,
} from './memoranda.fixture';
import { startTestApp, TestApp } from './support/test-app';

describe('commitments: part of the signed text, the activity plan, the status machine (real PostgreSQL)', () => {
  let t: TestApp;
  let tz: Taraz;
  let id: string;
  let ids: string[];

  beforeAll(async () => {
    t = await startTestApp();
    tz = await createTaraz(t);
    id = await draftTarazMemorandum(t, tz);
    ids = await addTarazCommitments(t, tz, id);
  });
  afterAll(() => t?.close());

  const coordinator = () => person(tz, 'kelisim');
  const history = async (memorandumId: string) =>
    (await t.http().get(`/memoranda/${memorandumId}/history`).set(coordinator().auth)).body.items as Array<{
      action: string;
      data: Record<string, unknown>;
      reason: string | null;
    }>;

  it('gives each commitment its occurrences within the term: quarterly 13, half-yearly 7, one due date', async () => {
    const list = await t.http().get(`/memoranda/${id}/commitments`).set(person(tz, 'dulaty').auth);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(3);
    const [events, exchange, study] = ids.map((c) => list.body.items.find((i: { id: string }) => i.id === c));
    expect(events.occurrences.map((o: { date: string }) => o.date)).toEqual([
      '2021-09-28',
      '2021-12-28',
      '2022-03-28',
      '2022-06-28',
      '2022-09-28',
      '2022-12-28',
      '2023-03-28',
      '2023-06-28',
      '2023-09-28',
      '2023-12-28',
      '2024-03-28',
      '2024-06-28',
      '2024-09-28',
    ]);
    expect(events).toMatchObject({
      origin: 'text',
      status: 'planned',
      clauseRef: 'п. 2.1',
      target: { quantity: 4, unit: 'совместных мероприятия в год' },
      frozenRevisionNumber: null,
    });
    expect(exchange.occurrences).toHaveLength(7);
    expect(study.occurrences.map((o: { date: string }) => o.date)).toEqual(['2022-09-28']);
    // Overdue from the start of the next day in Asia/Almaty (UTC+6 in 2022).
    expect(new Date(study.occurrences[0].overdueAt).toISOString()).toBe('2022-09-28T18:00:00.000Z');
    const occ = await t.http().get(`/commitments/${ids[0]}/occurrences`).set(person(tz, 'assembly').auth);
    expect(occ.status).toBe(200);
    expect(occ.body.items).toHaveLength(13);
    expect(occ.body.items[0]).toMatchObject({ date: '2021-09-28', status: 'planned', reportIds: [] });
  });

  it('puts the draft commitments into the revision hash, and leaves a revision without commitments hashed as before', async () => {
    const plain = await draftTarazMemorandum(t, tz, { title: 'Без обязательств' });
    const plainHash = await submitAndApprove(t, tz, plain);
    const m = await getMemorandum(t, plain, coordinator());
    const rev = (await t.http().get(`/memoranda/${plain}/revisions/1`).set(coordinator().auth)).body;
    expect(plainHash).toBe(revisionHash({ ...rev, parties: rev.parties }));
    expect(m.currentRevision.hash).toBe(plainHash);

    const hash = await submitAndApprove(t, tz, id);
    const r1 = (await t.http().get(`/memoranda/${id}/revisions/1`).set(coordinator().auth)).body;
    const items = (await t.http().get(`/memoranda/${id}/commitments`).set(coordinator().auth)).body.items;
    // Each commitment with its key (its id), which an amendment carries to say which commitment continues.
    const terms: RevisionCommitment[] = items.map((c: RevisionCommitment & { id: string }) => ({
      key: c.id,
      title: c.title,
      description: c.description,
      clauseRef: c.clauseRef,
      leadOrganisationId: c.leadOrganisationId,
      organisationIds: c.organisationIds,
      target: c.target,
      dueDate: c.dueDate,
      rrule: c.rrule,
    }));
    expect(hash).toBe(revisionHash({ ...r1, parties: r1.parties, commitments: terms }));
    expect(hash).not.toBe(revisionHash({ ...r1, parties: r1.parties }));
    expect(hash).not.toBe(revisionHash({ ...r1, parties: r1.parties, commitments: terms.map(({ key, ...c }) => c) }));
    expect(items.every((c: { frozenRevisionNumber: number }) => c.frozenRevisionNumber === 1)).toBe(true);

    // Frozen: neither a change nor a new text commitment once submitted.
    const patched = await t
      .http()
      .patch(`/commitments/${ids[2]}`)
      .set(coordinator().auth)
      .send({ version: items[2].version, title: 'Другое' });
    expect(patched.status).toBe(409);
    expect(patched.body.code).toBe('commitment_frozen');
    expect((await t.http().delete(`/commitments/${ids[2]}`).set(coordinator().auth)).status).toBe(409);
    const added = await t
      .http()
      .post(`/memoranda/${id}/commitments`)
      .set(coordinator().auth)
      .send({ title: 'Лишнее', leadOrganisationId: tz.kelisim.id, dueDate: '2022-01-10' });
    expect(added.status).toBe(409);
    expect(added.body.details).toMatchObject({ state: 'approved' });
  });

  it('activates on signing; then a responsible party starts and completes occurrences, the coordinator cancels', async () => {
    const hash = (await getMemorandum(t, id, coordinator())).currentRevision.hash;
    await moveClock(t, tz, '2021-09-28T11:00:00+06:00');
    await signByAll(t, tz, id, hash);
    expect((await getMemorandum(t, id, coordinator())).status).toBe('active');

    const youth = person(tz, 'youth-office');
    const started = await t.http().post(`/commitments/${ids[0]}/start`).set(youth.auth).send({});
    expect(started.status).toBe(200);
    expect(started.body.status).toBe('in_progress');

    const ambiguous = await t.http().post(`/commitments/${ids[0]}/complete`).set(youth.auth).send({});
    expect(ambiguous.status).toBe(422);
    expect(ambiguous.body.errors[0].field).toBe('occurrenceDate');

    const done = await t
      .http()
      .post(`/commitments/${ids[0]}/complete`)
      .set(person(tz, 'jas-otan').auth)
      .send({ occurrenceDate: '2021-09-28' });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('in_progress');
    expect(done.body.occurrences[0]).toMatchObject({ date: '2021-09-28', status: 'completed', late: false });

    const notYours = await t.http().post(`/commitments/${ids[0]}/start`).set(person(tz, 'zhangyru').auth).send({});
    expect(notYours.status).toBe(403);
    const notCoordinator = await t
      .http()
      .post(`/commitments/${ids[1]}/cancel`)
      .set(person(tz, 'jas-otan').auth)
      .send({});
    expect(notCoordinator.status).toBe(403);

    const cancelled = await t
      .http()
      .post(`/commitments/${ids[1]}/cancel`)
      .set(coordinator().auth)
      .send({ occurrenceDate: '2021-09-28', reason: 'Перенесено' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.occurrences[0].status).toBe('cancelled');
    expect(cancelled.body.status).toBe('planned');

    const actions = (await history(id)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'commitment.added',
        'commitment.started',
        'commitment.completed',
        'commitment.cancelled',
      ]),
    );
    const verify = await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator().auth);
    expect(verify.body).toMatchObject({ valid: true });
  });

  it('adds a plan commitment while active: a history event and an outbox announcement, not part of the signed text', async () => {
    const before = (await getMemorandum(t, id, coordinator())).currentRevision.hash;
    const res = await t
      .http()
      .post(`/memoranda/${id}/commitments`)
      .set(coordinator().auth)
      .send({
        title: 'Молодёжный форум «Бірлік»',
        leadOrganisationId: tz['zhas-ulan'].id,
        organisationIds: [tz['youth-office'].id],
        dueDate: '2022-05-15',
        target: { quantity: 200, unit: 'участников' },
      });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/commitments/${res.body.id}`);
    expect(res.body).toMatchObject({ origin: 'plan', frozenRevisionNumber: null, status: 'planned' });
    const planned = (await history(id)).filter((e) => e.action === 'commitment.planned');
    expect(planned).toHaveLength(1);
    expect(planned[0].data).toMatchObject({ commitmentId: res.body.id, origin: 'plan' });
    const [outbox] = await t.db.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE type = 'commitment.added' AND payload->>'commitmentId' = $1`,
      [res.body.id],
    );
    expect(outbox.n).toBe(1);
    expect((await getMemorandum(t, id, coordinator())).currentRevision.hash).toBe(before);

    // A plan commitment's terms change while active; the version guards lost updates.
    const patched = await t
      .http()
      .patch(`/commitments/${res.body.id}`)
      .set(coordinator().auth)
      .send({ version: res.body.version, dueDate: '2022-05-20' });
    expect(patched.status).toBe(200);
    expect(patched.body.occurrences.map((o: { date: string }) => o.date)).toEqual(['2022-05-20']);
    const stale = await t
      .http()
      .patch(`/commitments/${res.body.id}`)
      .set(coordinator().auth)
      .send({ version: res.body.version, title: 'Устарело' });
    expect(stale.status).toBe(409);
  });

  it('marks an occurrence overdue only from the start of the next day in Asia/Almaty, once', async () => {
    const timers = t.app.get(CommitmentTimersService);
    const [study] = (await t.db.query(`SELECT id FROM commitment_occurrences WHERE commitment_id = $1`, [ids[2]])) as {
      id: string;
    }[];
    await moveClock(t, tz, '2022-09-28T23:30:00+06:00');
    expect(await timers.markOverdue(study.id)).toBe('skipped');
    expect((await t.http().get(`/commitments/${ids[2]}`).set(coordinator().auth)).body.status).toBe('planned');
    await moveClock(t, tz, '2022-09-29T00:00:00+06:00');
    expect(await timers.markOverdue(study.id)).toBe('applied');
    expect(await timers.markOverdue(study.id)).toBe('skipped');
    const c = (await t.http().get(`/commitments/${ids[2]}`).set(coordinator().auth)).body;
    expect(c).toMatchObject({ status: 'overdue', occurrences: [{ status: 'overdue' }] });
    const overdue = (await history(id)).filter((e) => e.action === 'commitment.overdue');
    expect(overdue).toHaveLength(1);

    // Completed late: the occurrence says so; the commitment is completed.
    const done = await t.http().post(`/commitments/${ids[2]}/complete`).set(coordinator().auth).send({});
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', occurrences: [{ status: 'completed', late: true }] });
    expect(SIGNATORY_KEYS).toContain('kelisim');
    expect(TARAZ_MEMORANDUM.commitments).toHaveLength(3);
  });
});
