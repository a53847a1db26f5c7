/**
 * The dashboards' relation and counter tables (migration 1795005000000: memorandum_organisations,
 * follow_up_counts, follow_up_totals, kept by triggers in the writing transaction) against a
 * count(*) recomputation from the rows they summarise, after every step of a scripted sequence
 * through the HTTP API: parties added and removed in the draft, commitments written, signing,
 * status changes (start, complete, cancel, the overdue timer, completed late), a plan commitment
 * and its re-dated occurrences, an amendment adding and removing parties, its withdrawal. The
 * dashboards read through them: a party removed no longer sees the memorandum; the overview's
 * counts equal the occurrences' own.
 */
import { CommitmentTimersService } from '@kelisim/commitments';
import { Language, OrganisationKind } from '@kelisim/identity';
import {
  addTarazCommitments,
  createTaraz,
  draftTarazMemorandum,
  getMemorandum,
  moveClock,
  person,
  signByAll,
  submitAndApprove,
  Taraz,
} from './memoranda.fixture';
import { createOrganisation } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

const STATUSES = ['planned', 'in_progress', 'overdue', 'completed', 'cancelled'];

describe('dashboard relation and counters stay equal to a recount (real PostgreSQL, triggers)', () => {
  let t: TestApp;
  let tz: Taraz;
  let id: string;
  let ids: string[];

  beforeAll(async () => {
    t = await startTestApp();
    tz = await createTaraz(t);
  });
  afterAll(() => t?.close());

  const coordinator = () => person(tz, 'kelisim');

  /** The three tables as stored and as recomputed by count(*) from memoranda, parties, commitments, occurrences. */
  async function both() {
    const relation = async (sql: string) =>
      Object.fromEntries(
        ((await t.db.query(sql)) as { o: string; m: string; n: number }[]).map((r) => [`${r.o}|${r.m}`, r.n]),
      );
    const storedRelation = await relation(
      `SELECT organisation_id AS o, memorandum_id AS m, refs AS n FROM memorandum_organisations`,
    );
    const recountRelation = await relation(
      `SELECT organisation_id AS o, memorandum_id AS m, count(*)::int AS n FROM (
         SELECT coordinating_organisation_id AS organisation_id, id AS memorandum_id FROM memoranda
         UNION ALL SELECT organisation_id, memorandum_id FROM memorandum_parties) x GROUP BY 1, 2`,
    );
    const counts: Record<string, number> = {};
    const totals: Record<string, number> = {};
    for (const r of await t.db.query(`SELECT * FROM follow_up_counts`)) {
      for (const kind of ['commitments', 'occurrences'])
        for (const s of STATUSES)
          if (r[`${kind}_${s}`] !== 0)
            counts[`${r.memorandum_id}|${r.organisation_id}|${kind}_${s}`] = r[`${kind}_${s}`];
    }
    for (const r of await t.db.query(`SELECT * FROM follow_up_totals`)) {
      for (const kind of ['commitments', 'occurrences'])
        for (const s of STATUSES)
          if (r[`${kind}_${s}`] !== 0) totals[`${r.organisation_id}|${kind}_${s}`] = r[`${kind}_${s}`];
    }
    const recountCounts: Record<string, number> = {};
    const recountTotals: Record<string, number> = {};
    for (const [kind, table, org] of [
      ['commitments', 'commitments', 'lead_organisation_id'],
      ['occurrences', 'commitment_occurrences', 'organisation_id'],
    ]) {
      const rows: { m: string; o: string; s: string; n: number }[] = await t.db.query(
        `SELECT memorandum_id AS m, ${org} AS o, status AS s, count(*)::int AS n FROM ${table} GROUP BY 1, 2, 3`,
      );
      for (const r of rows) {
        recountCounts[`${r.m}|${r.o}|${kind}_${r.s}`] = r.n;
        recountTotals[`${r.o}|${kind}_${r.s}`] = (recountTotals[`${r.o}|${kind}_${r.s}`] ?? 0) + r.n;
      }
    }
    return {
      stored: { relation: storedRelation, counts, totals },
      recount: { relation: recountRelation, counts: recountCounts, totals: recountTotals },
    };
  }

  async function expectInStep(step: string) {
    const { stored, recount } = await both();
    expect({ step, ...stored }).toEqual({ step, ...recount });
  }

  const overview = async (key: string) => {
    const res = await t.http().get('/dashboard/overview?withinDays=30').set(person(tz, key).auth);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('keeps the relation in step as parties are removed and added in the draft; the dashboard follows it', async () => {
    id = await draftTarazMemorandum(t, tz);
    await expectInStep('drafted with seven parties');
    const { relation } = (await both()).stored;
    expect(relation[`${tz.kelisim.id}|${id}`]).toBe(2); // coordinator and signatory party
    expect(relation[`${tz.assembly.id}|${id}`]).toBe(1);
    expect((await overview('assembly')).memorandaByState).toEqual([{ state: 'draft', count: 1 }]);

    const removed = await t.http().delete(`/memoranda/${id}/parties/${tz.assembly.id}`).set(coordinator().auth);
    expect(removed.status).toBe(204);
    await expectInStep('observer removed');
    expect((await both()).stored.relation[`${tz.assembly.id}|${id}`]).toBeUndefined();
    expect((await overview('assembly')).memorandaByState).toEqual([]);

    const added = await t
      .http()
      .post(`/memoranda/${id}/parties`)
      .set(coordinator().auth)
      .send({ organisationId: tz.assembly.id, role: 'observer' });
    expect(added.status).toBe(201);
    await expectInStep('observer added again');
    expect((await overview('assembly')).memorandaByState).toEqual([{ state: 'draft', count: 1 }]);
  });

  it('keeps the counters in step through commitments, signing and every status change', async () => {
    ids = await addTarazCommitments(t, tz, id);
    await expectInStep('three commitments with 13 + 7 + 1 occurrences');
    expect(Object.keys((await both()).stored.counts).length).toBeGreaterThan(0);

    const hash = await submitAndApprove(t, tz, id);
    await moveClock(t, tz, '2021-09-28T11:00:00+06:00');
    await signByAll(t, tz, id, hash);
    expect((await getMemorandum(t, id, coordinator())).status).toBe('active');
    await expectInStep('signed and active');

    const post = (path: string, key: string, body: object = {}) =>
      t.http().post(path).set(person(tz, key).auth).send(body);
    expect((await post(`/commitments/${ids[0]}/start`, 'youth-office')).status).toBe(200);
    await expectInStep('started');
    expect((await post(`/commitments/${ids[0]}/complete`, 'jas-otan', { occurrenceDate: '2021-09-28' })).status).toBe(
      200,
    );
    await expectInStep('one occurrence completed');
    expect((await post(`/commitments/${ids[1]}/cancel`, 'kelisim', { occurrenceDate: '2021-09-28' })).status).toBe(200);
    await expectInStep('one occurrence cancelled');

    const plan = await post(`/memoranda/${id}/commitments`, 'kelisim', {
      title: 'Молодёжный форум «Бірлік»',
      leadOrganisationId: tz['zhas-ulan'].id,
      organisationIds: [tz['youth-office'].id],
      dueDate: '2022-05-15',
    });
    expect(plan.status).toBe(201);
    await expectInStep('plan commitment added');
    const patched = await t
      .http()
      .patch(`/commitments/${plan.body.id}`)
      .set(coordinator().auth)
      .send({ version: plan.body.version, dueDate: '2022-05-20' });
    expect(patched.status).toBe(200);
    await expectInStep('plan commitment re-dated');

    const [study] = await t.db.query(`SELECT id FROM commitment_occurrences WHERE commitment_id = $1`, [ids[2]]);
    await moveClock(t, tz, '2022-09-29T00:00:00+06:00');
    expect(await t.app.get(CommitmentTimersService).markOverdue(study.id)).toBe('applied');
    await expectInStep('overdue by the timer');
    const totals = (await both()).stored.totals;
    expect(totals[`${tz.kelisim.id}|occurrences_overdue`]).toBe(1);
    expect(totals[`${tz.kelisim.id}|commitments_overdue`]).toBe(1);

    // The overview reads the counters: equal to the rows' own counts for the coordinator.
    const view = await overview('kelisim');
    const [rows] = await t.db.query(
      `SELECT count(*) FILTER (WHERE status = 'overdue')::int AS overdue FROM commitment_occurrences WHERE memorandum_id = $1`,
      [id],
    );
    expect(view.commitments.overdue).toBe(rows.overdue);
    const byStatus = await t.db.query(
      `SELECT status, count(*)::int AS count FROM commitments WHERE memorandum_id = $1 GROUP BY status ORDER BY status`,
      [id],
    );
    expect(view.commitments.byStatus).toEqual(byStatus);

    expect((await post(`/commitments/${ids[2]}/complete`, 'kelisim')).status).toBe(200);
    await expectInStep('completed late');
    expect((await both()).stored.totals[`${tz.kelisim.id}|occurrences_overdue`]).toBeUndefined();
  });

  it('keeps the relation in step through an amendment adding and removing parties, and its withdrawal', async () => {
    const amendment = await t
      .http()
      .post(`/memoranda/${id}/amendments`)
      .set(coordinator().auth)
      .send({ reason: 'Новый участник программы' });
    expect(amendment.status).toBe(201);
    const newcomer = await createOrganisation(t, 'Тараз жастар орталығы', OrganisationKind.Ngo, Language.Kazakh);
    const added = await t
      .http()
      .post(`/memoranda/${id}/parties`)
      .set(coordinator().auth)
      .send({ organisationId: newcomer.id, role: 'observer' });
    expect(added.status).toBe(201);
    await expectInStep('party added in the amendment');
    expect((await both()).stored.relation[`${newcomer.id}|${id}`]).toBe(1);
    const removed = await t.http().delete(`/memoranda/${id}/parties/${tz.assembly.id}`).set(coordinator().auth);
    expect(removed.status).toBe(204);
    await expectInStep('party removed in the amendment');

    const withdrawn = await t
      .http()
      .post(`/memoranda/${id}/withdraw`)
      .set(coordinator().auth)
      .send({ reason: 'Не нужно' });
    expect(withdrawn.status).toBe(200);
    await expectInStep('amendment withdrawn');
  });

  it('pages the urgent list across memoranda in urgency order, each page from the per-memorandum index', async () => {
    const second = await draftTarazMemorandum(t, tz, { title: 'Второй меморандум' });
    await addTarazCommitments(t, tz, second);
    await expectInStep('a second memorandum with its commitments');
    const expected: { id: string }[] = await t.db.query(
      `SELECT o.id FROM commitment_occurrences o WHERE o.memorandum_id = ANY($1::uuid[])
        ORDER BY CASE o.status WHEN 'overdue' THEN 0 WHEN 'planned' THEN 1 WHEN 'in_progress' THEN 1 ELSE 2 END, o.date, o.id`,
      [[id, second]],
    );
    expect(expected.length).toBeGreaterThan(40);
    const seen: string[] = [];
    for (let page = 1; seen.length < expected.length; page++) {
      const res = await t.http().get('/dashboard/commitments').set(coordinator().auth).query({ page, pageSize: 7 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: expected.length, totalExact: true, page, pageSize: 7 });
      expect(res.body.items.length).toBeGreaterThan(0);
      seen.push(...res.body.items.map((i: { occurrenceId: string }) => i.occurrenceId));
    }
    expect(seen).toEqual(expected.map((r) => r.id));
  });

  it('would notice a counter out of step (the comparison can fail)', async () => {
    const [row] = await t.db.query(`SELECT memorandum_id, organisation_id FROM follow_up_counts LIMIT 1`);
    await t.db.query(
      `UPDATE follow_up_counts SET occurrences_completed = occurrences_completed + 1 WHERE memorandum_id = $1 AND organisation_id = $2`,
      [row.memorandum_id, row.organisation_id],
    );
    const { stored, recount } = await both();
    expect(stored.counts).not.toEqual(recount.counts);
    await t.db.query(
      `UPDATE follow_up_counts SET occurrences_completed = occurrences_completed - 1 WHERE memorandum_id = $1 AND organisation_id = $2`,
      [row.memorandum_id, row.organisation_id],
    );
    await expectInStep('restored');
  });
});
