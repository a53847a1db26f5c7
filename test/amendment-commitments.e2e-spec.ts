/**
 * Text commitments change only through an amendment, end to end on the real app, database and worker (BullMQ on
 * Redis) with a ManualClock: the Taraz memorandum is signed with its three commitments; an amendment changes the
 * joint events' RRULE, removes the exchange of experience and adds a final report (within the term it extends);
 * the parties approve and sign it; when it takes effect the live commitments follow it — occurrences with reports
 * kept, the removed one cancelled, the new one created, reminders re-planned — and the history chain verifies.
 * A withdrawn amendment leaves the live commitments untouched. Each refusal leaves nothing written.
 */
import { revisionHash, RevisionCommitment } from '@kelisim/memoranda';
import {
  addTarazCommitments,
  createTaraz,
  draftTarazMemorandum,
  footprint,
  getMemorandum,
  moveClock,
  person,
  signByAll,
  SIGNATORY_KEYS,
  Taraz,
} from './memoranda.fixture';
import { fastTimers, settle } from './faults/harness';
import { createOrganisation, createUser } from './support/identity';
import { Role } from '@kelisim/identity';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

interface Occurrence {
  id: string;
  date: string;
  status: string;
  reportIds: string[];
}
interface CommitmentBody {
  id: string;
  title: string;
  status: string;
  version: number;
  origin: string;
  rrule: string | null;
  dueDate: string | null;
  description: string | null;
  clauseRef: string | null;
  leadOrganisationId: string;
  organisationIds: string[];
  target: { quantity: number; unit: string } | null;
  frozenRevisionNumber: number | null;
  occurrences: Occurrence[];
  amendment?: { revisionNumber: number; change: string };
}

describe('text commitments change through an amendment (real PostgreSQL, worker on Redis)', () => {
  let t: TestApp;
  let tz: Taraz;
  let id: string;
  let events: string;
  let exchange: string;
  let study: string;
  let added: string;
  let planned: string;
  let amendmentRevision: number;
  let before: Record<string, Occurrence>;
  let reportId: string;

  beforeAll(async () => {
    t = await startTestApp({ withWorker: true, env: fastTimers() });
    tz = await createTaraz(t);
    id = await draftTarazMemorandum(t, tz);
    [events, exchange, study] = await addTarazCommitments(t, tz, id);
  });
  afterAll(() => t?.close());

  const coordinator = () => person(tz, 'kelisim');
  const commitment = async (cid: string): Promise<CommitmentBody> => {
    const res = await t.http().get(`/commitments/${cid}`).set(coordinator().auth);
    expect(res.status).toBe(200);
    return res.body;
  };
  const proposal = async () => {
    const res = await t.http().get(`/memoranda/${id}/amendment/commitments`).set(coordinator().auth);
    expect(res.status).toBe(200);
    return res.body as { revisionNumber: number; frozen: boolean; items: CommitmentBody[] };
  };
  const history = async () =>
    (await t.http().get(`/memoranda/${id}/history`).set(coordinator().auth)).body.items as Array<{
      action: string;
      reason: string | null;
      data: Record<string, unknown>;
    }>;
  const pendingItems = async (commitmentId: string) =>
    (await t.db.query(
      `SELECT kind, data->>'date' AS date FROM scheduled_items
        WHERE status IN ('pending', 'enqueued') AND data->>'commitmentId' = $1 ORDER BY due_at, kind`,
      [commitmentId],
    )) as { kind: string; date: string }[];
  const draftRow = async () =>
    (await t.db.query(`SELECT items FROM amendment_commitment_drafts WHERE memorandum_id = $1`, [id])) as {
      items: unknown[];
    }[];

  it('a draft text commitment can be removed before submission (its row goes, a history event stays)', async () => {
    const extra = await t
      .http()
      .post(`/memoranda/${id}/commitments`)
      .set(coordinator().auth)
      .send({ title: 'Лишнее', leadOrganisationId: tz.kelisim.id, dueDate: '2022-01-10' });
    expect(extra.status).toBe(201);
    const removed = await t.http().delete(`/commitments/${extra.body.id}`).set(coordinator().auth);
    expect(removed.status).toBe(204);
    expect((await t.http().get(`/commitments/${extra.body.id}`).set(coordinator().auth)).status).toBe(404);
    expect((await history()).filter((e) => e.action === 'commitment.removed')).toHaveLength(1);
  });

  it('signs the memorandum with its commitments; a party reports on the first joint event', async () => {
    const submitted = await t.http().post(`/memoranda/${id}/submit`).set(coordinator().auth).send({});
    expect(submitted.status).toBe(200);
    const hash = submitted.body.currentRevision.hash;
    for (const key of SIGNATORY_KEYS) {
      const res = await t
        .http()
        .post(`/memoranda/${id}/approvals`)
        .set(person(tz, key).auth)
        .send({ decision: 'approve', revisionHash: hash });
      expect(res.status).toBe(201);
    }
    await moveClock(t, tz, '2021-09-28T11:00:00+06:00');
    await signByAll(t, tz, id, hash);
    expect((await getMemorandum(t, id, coordinator())).status).toBe('active');

    const report = await t
      .http()
      .post(`/commitments/${events}/reports`)
      .set(person(tz, 'youth-office').auth)
      .field(
        'report',
        JSON.stringify({ date: '2021-09-28', summary: 'Круглый стол «Бірлік»', occurrenceDate: '2021-09-28' }),
      );
    expect(report.status).toBe(201);
    reportId = report.body.id;
    const done = await t
      .http()
      .post(`/commitments/${events}/complete`)
      .set(person(tz, 'youth-office').auth)
      .send({ occurrenceDate: '2021-09-28' });
    expect(done.status).toBe(200);
    await moveClock(t, tz, '2021-10-05T10:00:00+06:00');
    await settle(t);
    const ex = await commitment(exchange);
    expect(ex.occurrences[0]).toMatchObject({ date: '2021-09-28', status: 'overdue' });
    before = Object.fromEntries((await commitment(events)).occurrences.map((o) => [o.date, o]));
    expect(await pendingItems(exchange)).not.toHaveLength(0);
  });

  it('refuses to change a text commitment of the active memorandum outside an amendment, naming what to do', async () => {
    const was = await footprint(t, id);
    const ev = await commitment(events);
    const patched = await t
      .http()
      .patch(`/commitments/${events}`)
      .set(coordinator().auth)
      .send({ version: ev.version, rrule: 'FREQ=MONTHLY;INTERVAL=2' });
    expect(patched.status).toBe(409);
    expect(patched.body.code).toBe('commitment_frozen');
    expect(patched.body.message).toContain(`POST /memoranda/${id}/amendments`);
    expect(patched.body.details).toMatchObject({ state: 'active', allowedActions: ['amend'] });
    const removed = await t.http().delete(`/commitments/${exchange}`).set(coordinator().auth);
    expect(removed.status).toBe(409);
    expect(removed.body.code).toBe('commitment_frozen');
    const asText = await t
      .http()
      .post(`/memoranda/${id}/commitments`)
      .set(coordinator().auth)
      .send({ title: 'В текст', leadOrganisationId: tz.kelisim.id, dueDate: '2022-01-10', origin: 'text' });
    expect(asText.status).toBe(409);
    expect(asText.body.code).toBe('commitment_frozen');
    expect(await footprint(t, id)).toEqual(was);
    expect((await commitment(events)).rrule).toBe('FREQ=MONTHLY;INTERVAL=3');
    expect((await commitment(exchange)).status).toBe('overdue');
    const none = await t.http().get(`/memoranda/${id}/amendment/commitments`).set(coordinator().auth);
    expect(none.status).toBe(409);
    expect(none.body).toMatchObject({ code: 'no_amendment', details: { allowedActions: ['amend'] } });
  });

  it('in an amendment’s draft: changes the RRULE, removes one, adds one within the amended term; live ones untouched', async () => {
    const opened = await t.http().post(`/memoranda/${id}/amendments`).set(coordinator().auth).send({ reason: 'План' });
    expect(opened.status).toBe(201);
    amendmentRevision = opened.body.currentRevision.number;
    const fresh = await proposal();
    expect(fresh).toMatchObject({ revisionNumber: amendmentRevision, frozen: false });
    expect(Object.fromEntries(fresh.items.map((i) => [i.id, i.amendment?.change]))).toEqual({
      [events]: 'unchanged',
      [exchange]: 'unchanged',
      [study]: 'unchanged',
    });
    // The amendment extends the term by a year.
    const m = await getMemorandum(t, id, coordinator());
    const term = await t
      .http()
      .patch(`/memoranda/${id}`)
      .set(coordinator().auth)
      .set('If-Match', String(m.version))
      .send({ endDate: '2025-09-28' });
    expect(term.status).toBe(200);

    const rrule = await t
      .http()
      .patch(`/commitments/${events}`)
      .set(coordinator().auth)
      .send({ version: fresh.items.find((i) => i.id === events)!.version, rrule: 'FREQ=MONTHLY;INTERVAL=2' });
    expect(rrule.status).toBe(200);
    expect(rrule.body).toMatchObject({
      id: events,
      rrule: 'FREQ=MONTHLY;INTERVAL=2',
      version: 2,
      occurrences: [],
      amendment: { revisionNumber: amendmentRevision, change: 'changed' },
    });
    expect((await t.http().delete(`/commitments/${exchange}`).set(coordinator().auth)).status).toBe(204);
    const gone = await t
      .http()
      .patch(`/commitments/${exchange}`)
      .set(coordinator().auth)
      .send({ version: 1, title: 'X' });
    expect(gone.status).toBe(409);
    expect(gone.body.code).toBe('commitment_removed');

    // Bad input, nothing written: a due date outside the amended term (the memorandum's own would allow neither).
    const was = await footprint(t, id);
    const rows = await draftRow();
    const outside = await t
      .http()
      .post(`/memoranda/${id}/commitments`)
      .set(coordinator().auth)
      .send({ title: 'Итоговый отчёт', leadOrganisationId: tz.kelisim.id, dueDate: '2025-12-01' });
    expect(outside.status).toBe(422);
    expect(outside.body.errors[0]).toMatchObject({ field: 'dueDate' });
    expect(outside.body.errors[0].message).toContain('2025-09-28');
    const stale = await t
      .http()
      .patch(`/commitments/${events}`)
      .set(coordinator().auth)
      .send({ version: 1, title: 'Устарело' });
    expect(stale.status).toBe(409);
    expect(await footprint(t, id)).toEqual(was);
    expect(await draftRow()).toEqual(rows);

    const report = await t
      .http()
      .post(`/memoranda/${id}/commitments`)
      .set(coordinator().auth)
      .send({
        title: 'Итоговый отчёт о реализации меморандума',
        clauseRef: 'п. 2.4',
        leadOrganisationId: tz.kelisim.id,
        organisationIds: [tz['youth-office'].id, tz['jas-otan'].id],
        dueDate: '2025-06-01',
      });
    expect(report.status).toBe(201);
    expect(report.body).toMatchObject({ origin: 'text', amendment: { change: 'added' }, occurrences: [] });
    added = report.body.id;
    // The activity plan stays open meanwhile: `origin: plan` adds to it, outside the amendment.
    const plan = await t
      .http()
      .post(`/memoranda/${id}/commitments`)
      .set(coordinator().auth)
      .send({ title: 'Форум «Бірлік»', leadOrganisationId: tz['zhas-ulan'].id, dueDate: '2022-05-15', origin: 'plan' });
    expect(plan.status).toBe(201);
    expect(plan.body).toMatchObject({ origin: 'plan', status: 'planned', occurrences: [{ date: '2022-05-15' }] });
    expect(plan.body.amendment).toBeUndefined();
    planned = plan.body.id;
    // Not live yet: no such commitment, and the live ones are as they were.
    expect((await t.http().get(`/commitments/${added}`).set(coordinator().auth)).status).toBe(404);
    expect((await commitment(events)).rrule).toBe('FREQ=MONTHLY;INTERVAL=3');
    expect((await commitment(exchange)).status).toBe('overdue');

    // Only the coordinating organisation's coordinator; an outsider does not see the memorandum at all.
    const other = await createOrganisation(t, 'Управление внутренней политики Туркестанской области');
    const outsider = await createUser(t, {
      fullName: 'Серік Жандосов',
      email: 'serik.coordinator@turkestan.example.kz',
      organisationId: other.id,
      roles: [Role.Coordinator],
    });
    const partyCoordinator = await createUser(t, {
      fullName: 'Әсел Нұрланқызы',
      email: 'asel.coordinator@jasotan.example.kz',
      organisationId: tz['jas-otan'].id,
      roles: [Role.Coordinator],
    });
    const untouched = await footprint(t, id);
    const body = { version: 1, title: 'Чужое' };
    expect((await t.http().patch(`/commitments/${added}`).set(outsider.auth).send(body)).status).toBe(404);
    expect((await t.http().delete(`/commitments/${events}`).set(outsider.auth)).status).toBe(404);
    expect((await t.http().get(`/memoranda/${id}/amendment/commitments`).set(outsider.auth)).status).toBe(404);
    expect((await t.http().patch(`/commitments/${added}`).set(partyCoordinator.auth).send(body)).status).toBe(403);
    expect((await t.http().delete(`/commitments/${study}`).set(person(tz, 'jas-otan').auth)).status).toBe(403);
    expect(await footprint(t, id)).toEqual(untouched);

    const list = await proposal();
    expect(Object.fromEntries(list.items.map((i) => [i.id, i.amendment?.change]))).toEqual({
      [events]: 'changed',
      [exchange]: 'removed',
      [study]: 'unchanged',
      [added]: 'added',
    });
    const actions = (await history()).filter((e) => (e.data.amendment as { revisionNumber?: number })?.revisionNumber);
    expect(actions.map((e) => e.action)).toEqual(['commitment.updated', 'commitment.removed', 'commitment.added']);
  });

  it('refuses a submission whose term no longer holds a commitment; after a request for changes the proposal is editable again', async () => {
    // The amended term shrinks below the final report's due date: the submission names it, nothing is written.
    let m = await getMemorandum(t, id, coordinator());
    const shrink = await t
      .http()
      .patch(`/memoranda/${id}`)
      .set(coordinator().auth)
      .set('If-Match', String(m.version))
      .send({ endDate: '2025-03-01' });
    expect(shrink.status).toBe(200);
    const was = await footprint(t, id);
    const refused = await t.http().post(`/memoranda/${id}/submit`).set(coordinator().auth).send({});
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('commitment_outside_term');
    expect(refused.body.errors[0].message).toContain(added);
    expect(await footprint(t, id)).toEqual(was);
    m = await getMemorandum(t, id, coordinator());
    const extend = await t
      .http()
      .patch(`/memoranda/${id}`)
      .set(coordinator().auth)
      .set('If-Match', String(m.version))
      .send({ endDate: '2025-09-28' });
    expect(extend.status).toBe(200);

    const submitted = await t.http().post(`/memoranda/${id}/submit`).set(coordinator().auth).send({});
    expect(submitted.status).toBe(200);
    const asked = await t.http().post(`/memoranda/${id}/approvals`).set(person(tz, SIGNATORY_KEYS[1]).auth).send({
      decision: 'request_changes',
      revisionHash: submitted.body.currentRevision.hash,
      comment: 'Укажите цель форума',
    });
    expect(asked.status).toBe(201);
    const again = await proposal();
    expect(again).toMatchObject({ revisionNumber: amendmentRevision + 1, frozen: false });
    const fin = again.items.find((i) => i.id === added)!;
    expect(fin.amendment).toMatchObject({ change: 'added' });
    const target = await t
      .http()
      .patch(`/commitments/${added}`)
      .set(coordinator().auth)
      .send({ version: fin.version, target: { quantity: 1, unit: 'отчёт' } });
    expect(target.status).toBe(200);
    expect(target.body).toMatchObject({ target: { quantity: 1, unit: 'отчёт' }, version: fin.version + 1 });
    amendmentRevision += 1;
  });

  it('freezes the amended commitments, with their keys, into the amendment revision’s hash', async () => {
    const submitted = await t.http().post(`/memoranda/${id}/submit`).set(coordinator().auth).send({});
    expect(submitted.status).toBe(200);
    const hash = submitted.body.currentRevision.hash;
    const rev = (await t.http().get(`/memoranda/${id}/revisions/${amendmentRevision}`).set(coordinator().auth)).body;
    const items = (await proposal()).items.filter((i) => i.amendment?.change !== 'removed');
    const terms: RevisionCommitment[] = items.map((c) => ({
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
    expect(terms).toHaveLength(3);
    expect(hash).toBe(revisionHash({ ...rev, parties: rev.parties, commitments: terms }));
    expect(hash).not.toBe(revisionHash({ ...rev, parties: rev.parties, commitments: terms.slice(1) }));
    expect(hash).not.toBe(
      revisionHash({ ...rev, parties: rev.parties, commitments: terms.map((c) => ({ ...c, key: undefined })) }),
    );
    expect((await proposal()).frozen).toBe(true);

    // Frozen for approval: neither a change nor a removal nor an addition to the text.
    const was = await footprint(t, id);
    const patched = await t
      .http()
      .patch(`/commitments/${study}`)
      .set(coordinator().auth)
      .send({ version: 1, title: 'Другое' });
    expect(patched.status).toBe(409);
    expect(patched.body.code).toBe('amendment_frozen');
    expect(patched.body.details).toMatchObject({ state: 'amendment_in_review', revisionNumber: amendmentRevision });
    const removed = await t.http().delete(`/commitments/${added}`).set(coordinator().auth);
    expect(removed.status).toBe(409);
    expect(removed.body.code).toBe('amendment_frozen');
    const more = await t
      .http()
      .post(`/memoranda/${id}/commitments`)
      .set(coordinator().auth)
      .send({ title: 'Ещё', leadOrganisationId: tz.kelisim.id, dueDate: '2022-01-10', origin: 'text' });
    expect(more.status).toBe(409);
    expect(more.body.code).toBe('amendment_frozen');
    expect(await footprint(t, id)).toEqual(was);
  });

  it('when the amendment takes effect the live commitments follow it; reminders are re-planned; the chain verifies', async () => {
    const hash = (await getMemorandum(t, id, coordinator())).currentRevision.hash;
    for (const key of SIGNATORY_KEYS) {
      const res = await t
        .http()
        .post(`/memoranda/${id}/approvals`)
        .set(person(tz, key).auth)
        .send({ decision: 'approve', revisionHash: hash });
      expect(res.status).toBe(201);
    }
    await signByAll(t, tz, id, hash);
    const m = await getMemorandum(t, id, coordinator());
    expect(m).toMatchObject({ status: 'active', amendmentStatus: null, endDate: '2025-09-28' });
    await settle(t);

    // The joint events continue: the reported, completed first event is kept; from today every two months.
    const ev = await commitment(events);
    expect(ev).toMatchObject({ rrule: 'FREQ=MONTHLY;INTERVAL=2', status: 'in_progress' });
    expect(ev.frozenRevisionNumber).toBe(amendmentRevision);
    const dates = ev.occurrences.map((o) => o.date);
    expect(dates.slice(0, 5)).toEqual(['2021-09-28', '2021-11-28', '2022-01-28', '2022-03-28', '2022-05-28']);
    expect(dates[dates.length - 1]).toBe('2025-09-28');
    expect(dates).not.toContain('2021-12-28');
    expect(ev.occurrences[0]).toMatchObject({
      id: before['2021-09-28'].id,
      status: 'completed',
      reportIds: [reportId],
    });
    // A date both rules give keeps its occurrence (and its reminders).
    expect(ev.occurrences.find((o) => o.date === '2022-03-28')!.id).toBe(before['2022-03-28'].id);

    // The exchange of experience was removed: cancelled, its overdue occurrence too, nothing more reminded.
    const ex = await commitment(exchange);
    expect(ex.status).toBe('cancelled');
    expect(ex.occurrences.every((o) => o.status === 'cancelled')).toBe(true);
    expect(await pendingItems(exchange)).toEqual([]);

    // The final report is a new commitment of the text with its due date, reminded 7 and 1 days before.
    const fin = await commitment(added);
    expect(fin).toMatchObject({
      origin: 'text',
      status: 'planned',
      frozenRevisionNumber: amendmentRevision,
      occurrences: [{ date: '2025-06-01', status: 'planned' }],
    });
    expect((await pendingItems(added)).map((i) => i.kind)).toEqual([
      'commitment_due',
      'commitment_due',
      'commitment_overdue',
    ]);
    // The events' reminders follow the new dates: none for the dropped quarter, some for the new month.
    const evItems = await pendingItems(events);
    expect(evItems.some((i) => i.date === '2021-12-28')).toBe(false);
    expect(evItems.filter((i) => i.date === '2021-11-28').map((i) => i.kind)).toEqual([
      'commitment_due',
      'commitment_due',
      'commitment_overdue',
    ]);
    // The plan commitment is not part of the text: untouched.
    expect(await commitment(planned)).toMatchObject({ origin: 'plan', status: 'planned', frozenRevisionNumber: null });
    // The study continues unchanged, within the extended term.
    expect((await commitment(study)).occurrences.map((o) => o.date)).toEqual(['2022-09-28']);

    const h = await history();
    const byAmendment = h.filter(
      (e) => (e.data.amendment as { revisionNumber?: number })?.revisionNumber === amendmentRevision,
    );
    const last = byAmendment.slice(-3);
    expect(last.map((e) => [e.action, e.data.commitmentId])).toEqual([
      ['commitment.updated', events],
      ['commitment.added', added],
      ['commitment.cancelled', exchange],
    ]);
    expect(last[2].reason).toContain('amendment');
    expect(h.map((e) => e.action).indexOf('executed')).toBeLessThan(
      h.map((e) => e.action).lastIndexOf('commitment.added'),
    );
    const verify = await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator().auth);
    expect(verify.body).toMatchObject({ valid: true });
    expect(await draftRow()).toEqual([]);

    // The evidence PDF attaches the amended revision with its keyed commitments, and verifies.
    await waitFor(
      'the evidence PDF',
      async () => (await t.http().get(`/memoranda/${id}/evidence.pdf`).set(coordinator().auth)).status !== 202,
      undefined,
      250,
    );
    const pdf = await t
      .http()
      .get(`/memoranda/${id}/evidence.pdf`)
      .set(coordinator().auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    const verified = await t
      .http()
      .post('/evidence/verify')
      .set('Content-Type', 'application/pdf')
      .send(pdf.body as Buffer);
    expect(verified.body.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(verified.body).toMatchObject({ valid: true, memorandumId: id, revisionHash: hash });
  });

  it('a withdrawn amendment leaves the live commitments untouched; the next one starts from them', async () => {
    const opened = await t.http().post(`/memoranda/${id}/amendments`).set(coordinator().auth).send({});
    expect(opened.status).toBe(201);
    const first = await proposal();
    const fin = first.items.find((i) => i.id === added)!;
    expect(first.items.map((i) => i.amendment?.change)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    const moved = await t
      .http()
      .patch(`/commitments/${added}`)
      .set(coordinator().auth)
      .send({ version: fin.version, dueDate: '2025-07-01' });
    expect(moved.status).toBe(200);
    expect((await t.http().delete(`/commitments/${study}`).set(coordinator().auth)).status).toBe(204);
    const liveBefore = await Promise.all([events, study, added].map(commitment));
    const schedule = async () =>
      (await t.db.query(
        `SELECT kind, count(*)::int AS n FROM scheduled_items
          WHERE memorandum_id = $1 AND status IN ('pending', 'enqueued')
            AND kind NOT IN ('approval_reminder', 'signature_reminder', 'escalation')
          GROUP BY kind ORDER BY kind`,
        [id],
      )) as { kind: string; n: number }[];
    await settle(t);
    const itemsBefore = await schedule();
    expect(itemsBefore.map((i) => i.kind)).toEqual(expect.arrayContaining(['commitment_due', 'expiry', 'term_notice']));

    const withdrawn = await t.http().post(`/memoranda/${id}/withdraw`).set(coordinator().auth).send({ reason: 'Рано' });
    expect(withdrawn.status).toBe(200);
    await settle(t);
    expect(await Promise.all([events, study, added].map(commitment))).toEqual(liveBefore);
    // The memorandum stays in force: its term's timers and the commitments' reminders stay scheduled.
    expect(await schedule()).toEqual(itemsBefore);
    expect((await commitment(added)).occurrences.map((o) => o.date)).toEqual(['2025-06-01']);

    // The revision number is reused; the withdrawn draft is not.
    const again = await t.http().post(`/memoranda/${id}/amendments`).set(coordinator().auth).send({});
    expect(again.status).toBe(201);
    const next = await proposal();
    expect(Object.fromEntries(next.items.map((i) => [i.id, [i.dueDate ?? i.rrule, i.amendment?.change]]))).toEqual({
      [events]: ['FREQ=MONTHLY;INTERVAL=2', 'unchanged'],
      [study]: ['2022-09-28', 'unchanged'],
      [added]: ['2025-06-01', 'unchanged'],
    });
    const verify = await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator().auth);
    expect(verify.body).toMatchObject({ valid: true });
  });

  it('later: a past unreported date off the new plan is cancelled, a reported one kept, a moved due date moves', async () => {
    // The amendment opened above is still in its draft; time passes and two bi-monthly events go overdue.
    await moveClock(t, tz, '2022-02-10T10:00:00+06:00');
    await settle(t);
    const was = Object.fromEntries((await commitment(events)).occurrences.map((o) => [o.date, o]));
    expect(was['2021-11-28'].status).toBe('overdue');
    expect(was['2022-01-28'].status).toBe('overdue');
    const report = await t
      .http()
      .post(`/commitments/${events}/reports`)
      .set(person(tz, 'jas-otan').auth)
      .field(
        'report',
        JSON.stringify({ date: '2021-11-30', summary: 'Акция «Біз біргеміз»', occurrenceDate: '2021-11-28' }),
      );
    expect(report.status).toBe(201);

    const updatesOfAdded = async () =>
      (await history()).filter((e) => e.action === 'commitment.updated' && e.data.commitmentId === added).length;
    const updatedBefore = await updatesOfAdded();
    const items = (await proposal()).items;
    const quarterly = await t
      .http()
      .patch(`/commitments/${events}`)
      .set(coordinator().auth)
      .send({ version: items.find((i) => i.id === events)!.version, rrule: 'FREQ=MONTHLY;INTERVAL=3' });
    expect(quarterly.status).toBe(200);
    const moved = await t
      .http()
      .patch(`/commitments/${study}`)
      .set(coordinator().auth)
      .send({ version: items.find((i) => i.id === study)!.version, dueDate: '2023-03-01' });
    expect(moved.status).toBe(200);
    const submitted = await t.http().post(`/memoranda/${id}/submit`).set(coordinator().auth).send({});
    expect(submitted.status).toBe(200);
    const hash = submitted.body.currentRevision.hash;
    for (const key of SIGNATORY_KEYS) {
      const res = await t
        .http()
        .post(`/memoranda/${id}/approvals`)
        .set(person(tz, key).auth)
        .send({ decision: 'approve', revisionHash: hash });
      expect(res.status).toBe(201);
    }
    await signByAll(t, tz, id, hash);
    await settle(t);

    const ev = await commitment(events);
    const now = Object.fromEntries(ev.occurrences.map((o) => [o.date, o]));
    expect(now['2021-09-28']).toMatchObject({ status: 'completed', reportIds: [reportId] });
    // Reported: kept as it was (still overdue); past, unreported and off the plan: cancelled, kept on record.
    expect(now['2021-11-28']).toMatchObject({
      id: was['2021-11-28'].id,
      status: 'overdue',
      reportIds: [report.body.id],
    });
    expect(now['2022-01-28']).toMatchObject({ id: was['2022-01-28'].id, status: 'cancelled' });
    // From today: the quarter both rules share keeps its occurrence, the others are regenerated.
    expect(now['2022-03-28'].id).toBe(was['2022-03-28'].id);
    expect(now['2022-05-28']).toBeUndefined();
    expect(now['2022-06-28']).toMatchObject({ status: 'planned' });
    expect(ev.status).toBe('overdue');
    const evItems = await pendingItems(events);
    expect(evItems.some((i) => ['2022-01-28', '2022-05-28'].includes(i.date))).toBe(false);
    expect(evItems.some((i) => i.date === '2022-06-28')).toBe(true);
    // The study's due date moved: one occurrence, on the new date, reminded there.
    expect((await commitment(study)).occurrences.map((o) => [o.date, o.status])).toEqual([['2023-03-01', 'planned']]);
    expect(new Set((await pendingItems(study)).map((i) => i.date))).toEqual(new Set(['2023-03-01']));
    // The final report was left as it was: no event about it.
    expect(await updatesOfAdded()).toBe(updatedBefore);
    const verify = await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator().auth);
    expect(verify.body).toMatchObject({ valid: true });
  });
});
