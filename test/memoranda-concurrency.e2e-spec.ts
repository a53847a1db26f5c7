import { Role } from '@kelisim/identity';
import {
  addPerson,
  createTaraz,
  draftTarazMemorandum,
  getMemorandum,
  moveClock,
  person,
  Person,
  SIGNATORY_KEYS,
  Taraz,
} from './memoranda.fixture';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/**
 * Every party at once, with duplicates: the row lock serialises the transitions, the unique
 * indexes are the last word, and nobody gets a 500.
 */
describe('memoranda: simultaneous approvals and signatures (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let tz: Taraz;

  beforeAll(async () => {
    t = await startTestApp();
    tz = await createTaraz(t);
    await moveClock(t, tz, '2021-09-28T10:00:00+06:00');
  });
  afterAll(() => t?.close());

  const historyCount = async (id: string, action: string) =>
    Number(
      (
        await t.db.query(`SELECT count(*) AS n FROM history_events WHERE memorandum_id = $1 AND action = $2`, [
          id,
          action,
        ])
      )[0].n,
    );

  it('approves and signs exactly once per party under concurrent duplicates', async () => {
    const coordinator = person(tz, 'kelisim');
    const id = await draftTarazMemorandum(t, tz);
    // A second representative in one party: two people of the same organisation deciding at once.
    const secondRep = await addPerson(t, tz, 'jas-otan', 'Second Representative', [Role.PartyRepresentative]);
    const submitted = await t.http().post(`/memoranda/${id}/submit`).set(coordinator.auth).send({});
    expect(submitted.status).toBe(200);
    const hash: string = submitted.body.currentRevision.hash;

    const approvers: Person[] = [
      ...SIGNATORY_KEYS.flatMap((k) => [person(tz, k), person(tz, k)]),
      secondRep,
      person(tz, 'assembly'),
    ];
    const approvals = await Promise.all(
      approvers.map((p) =>
        t.http().post(`/memoranda/${id}/approvals`).set(p.auth).send({ decision: 'approve', revisionHash: hash }),
      ),
    );
    const statuses = approvals.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    // Duplicates: 409 already_decided, or invalid_transition once the memorandum has moved on; the
    // observer 403 not_a_signatory_party (or 409 if the last approval came first).
    for (const r of approvals.filter((x) => x.status !== 201)) {
      expect([403, 409]).toContain(r.status);
      expect(['already_decided', 'invalid_transition', 'not_a_signatory_party', 'already_exists']).toContain(
        r.body.code,
      );
    }
    expect(approvals[approvals.length - 1].status).not.toBe(201);
    expect(
      approvals
        .filter((r) => r.status === 201)
        .map((r) => r.body.memorandumStatus)
        .filter((s) => s === 'approved'),
    ).toHaveLength(1);

    const rows = await t.db.query(
      `SELECT organisation_id, count(*)::int AS n FROM memorandum_approvals WHERE memorandum_id = $1 AND decision = 'approve' GROUP BY organisation_id`,
      [id],
    );
    expect(rows).toHaveLength(5);
    expect(rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    expect((await getMemorandum(t, id, coordinator)).status).toBe('approved');
    expect(await historyCount(id, 'approve')).toBe(5);
    expect(await historyCount(id, 'approved')).toBe(1);

    // Two coordinators' requests to open signing at once: one wins, the other is an invalid transition.
    const opened = await Promise.all(
      [0, 1].map(() => t.http().post(`/memoranda/${id}/open-signing`).set(coordinator.auth).send({ mode: 'parallel' })),
    );
    expect(opened.map((r) => r.status).sort()).toEqual([200, 409]);

    // Every signatory twice, plus the coordinator recording a ceremony signature for one of them.
    const signs = await Promise.all([
      ...SIGNATORY_KEYS.flatMap((k) => [person(tz, k), person(tz, k)]).map((p) =>
        t
          .http()
          .post(`/memoranda/${id}/signatures`)
          .set(p.auth)
          .send({ method: 'electronic', revisionHash: hash, typedName: p.fullName, consent: true }),
      ),
      t
        .http()
        .post(`/memoranda/${id}/signatures`)
        .set(coordinator.auth)
        .send({
          method: 'in_person',
          revisionHash: hash,
          organisationId: tz['zhas-ulan'].id,
          signerName: 'Айжан Алебаева',
          signedAt: '2021-09-28T09:30:00+06:00',
          place: 'Тараз',
          evidence: { reference: 'photo-1', sha256: 'a'.repeat(64) },
        }),
    ]);
    const signStatuses = signs.map((r) => r.status);
    expect(signStatuses.filter((s) => s >= 500)).toEqual([]);
    expect(signStatuses.filter((s) => s === 201)).toHaveLength(5);
    for (const r of signs.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(['already_signed', 'party_signatures_complete', 'invalid_transition', 'already_exists']).toContain(
        r.body.code,
      );
    }

    const perParty = await t.db.query(
      `SELECT organisation_id, count(*)::int AS n FROM memorandum_signatures WHERE memorandum_id = $1 GROUP BY organisation_id`,
      [id],
    );
    expect(perParty).toHaveLength(5);
    expect(perParty.every((r: { n: number }) => r.n === 1)).toBe(true);
    const m = await getMemorandum(t, id, coordinator);
    expect(m.status).toBe('active');
    expect(await historyCount(id, 'sign')).toBe(5);
    expect(await historyCount(id, 'executed')).toBe(1);
    expect(await historyCount(id, 'activated')).toBe(1);
    const events = await t.db.query(
      `SELECT type, count(*)::int AS n FROM outbox_events WHERE aggregate_id = $1 GROUP BY type ORDER BY type`,
      [id],
    );
    expect(Object.fromEntries(events.map((e: { type: string; n: number }) => [e.type, e.n]))).toEqual({
      'memorandum.submitted': 1,
      'party.approved': 5,
      'memorandum.approved': 1,
      'memorandum.signing_opened': 1,
      'signature.recorded': 5,
      'memorandum.executed': 1,
      'memorandum.activated': 1,
    });
    expect((await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator.auth)).body).toMatchObject({
      valid: true,
    });
  });

  it('never records more signatures than a party requires, nor one signer twice, even racing', async () => {
    const coordinator = person(tz, 'kelisim');
    const id = await draftTarazMemorandum(t, tz, { title: 'Two signatures for Jas Otan' });
    const extra = [
      await addPerson(t, tz, 'jas-otan', 'Асель Нурова', [Role.Signatory]),
      await addPerson(t, tz, 'jas-otan', 'Марат Есенов', [Role.Signatory]),
    ];
    // Jas Otan needs two of its three signatories: re-add it with requiredSignatures 2.
    await t.http().delete(`/memoranda/${id}/parties/${tz['jas-otan'].id}`).set(coordinator.auth).expect(204);
    await t
      .http()
      .post(`/memoranda/${id}/parties`)
      .set(coordinator.auth)
      .send({ organisationId: tz['jas-otan'].id, role: 'signatory', order: 4, requiredSignatures: 2 })
      .expect(201);
    const submitted = await t.http().post(`/memoranda/${id}/submit`).set(coordinator.auth).send({});
    const hash: string = submitted.body.currentRevision.hash;
    for (const k of SIGNATORY_KEYS)
      await t
        .http()
        .post(`/memoranda/${id}/approvals`)
        .set(person(tz, k).auth)
        .send({ decision: 'approve', revisionHash: hash })
        .expect(201);
    await t.http().post(`/memoranda/${id}/open-signing`).set(coordinator.auth).send({ mode: 'parallel' }).expect(200);

    const jasOtan = [person(tz, 'jas-otan'), ...extra];
    const res = await Promise.all(
      [...jasOtan, ...jasOtan].map((p) =>
        t
          .http()
          .post(`/memoranda/${id}/signatures`)
          .set(p.auth)
          .send({ method: 'electronic', revisionHash: hash, typedName: p.fullName, consent: true }),
      ),
    );
    expect(res.map((r) => r.status).filter((s) => s >= 500)).toEqual([]);
    expect(res.filter((r) => r.status === 201)).toHaveLength(2);
    const rows = await t.db.query(
      `SELECT slot, signer_key FROM memorandum_signatures WHERE memorandum_id = $1 AND organisation_id = $2 ORDER BY slot`,
      [id, tz['jas-otan'].id],
    );
    expect(rows.map((r: { slot: number }) => r.slot)).toEqual([1, 2]);
    expect(new Set(rows.map((r: { signer_key: string }) => r.signer_key)).size).toBe(2);
    expect((await getMemorandum(t, id, coordinator)).status).toBe('signing');

    // The database itself refuses a third slot or a second row for one signer.
    const [first] = await t.db.query(
      `SELECT * FROM memorandum_signatures WHERE memorandum_id = $1 AND organisation_id = $2 AND slot = 1`,
      [id, tz['jas-otan'].id],
    );
    const insert = (slot: number, key: string) =>
      t.db.query(
        `INSERT INTO memorandum_signatures (memorandum_id, revision_number, revision_hash, organisation_id, method, slot, required_signatures, signer_key, signer_user_id,
         signer_name, typed_name, consent, signed_at, recorded_at, recorded_by_user_id)
       VALUES ($1, $2, $3, $4, 'electronic', $5, 2, $6, $7, 'x', 'x', true, now(), now(), $7)`,
        [id, first.revision_number, first.revision_hash, first.organisation_id, slot, key, first.signer_user_id],
      );
    await expect(insert(3, 'user:someone-else')).rejects.toThrow(/memorandum_signatures_slot_check/);
    await expect(insert(2, 'user:someone-else')).rejects.toThrow(/memorandum_signatures_slot_unique/);
    await expect(insert(2, first.signer_key)).rejects.toThrow(/memorandum_signatures_(one_per_signer|slot_unique)/);
  });

  it('sees what a writer committed while the request waited for the row lock (the locking read is re-run)', async () => {
    // The frame locks the memorandum and reads its decisions in one statement; when that statement
    // waits for the lock, its sub-selects see the snapshot from before the wait. Here another
    // transaction, holding the lock, records jas-otan's decision and bumps the version (as every
    // writer under the lock does) while jas-otan's own approval waits: the approval must see it
    // (409 already_decided), not insert a second decision (the unique index's 500).
    const coordinator = person(tz, 'kelisim');
    const rep = person(tz, 'jas-otan');
    const id = await draftTarazMemorandum(t, tz);
    const submitted = await t.http().post(`/memoranda/${id}/submit`).set(coordinator.auth).send({});
    expect(submitted.status).toBe(200);
    const hash: string = submitted.body.currentRevision.hash;
    const writer = t.db.createQueryRunner();
    await writer.connect();
    try {
      await writer.startTransaction();
      const [{ current_revision_number: revision }] = await writer.query(
        'SELECT current_revision_number FROM memoranda WHERE id = $1 FOR UPDATE',
        [id],
      );
      const waiting = t
        .http()
        .post(`/memoranda/${id}/approvals`)
        .set(rep.auth)
        .send({ decision: 'approve', revisionHash: hash })
        .then((r) => r);
      const blocked = async () =>
        Number(
          (
            await t.db.query(
              `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            )
          )[0].n,
        );
      await waitFor('the approval to wait for the row lock', async () => (await blocked()) > 0, undefined, 50);
      expect(await blocked()).toBeGreaterThan(0);
      await writer.query(
        `INSERT INTO memorandum_approvals (memorandum_id, revision_number, revision_hash, organisation_id, decision, user_id, decided_at)
         VALUES ($1, $2, $3, $4, 'approve', $5, now())`,
        [id, revision, hash, tz['jas-otan'].id, rep.id],
      );
      await writer.query('UPDATE memoranda SET version = version + 1 WHERE id = $1', [id]);
      await writer.commitTransaction();
      const res = await waiting;
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('already_decided');
    } finally {
      if (writer.isTransactionActive) await writer.rollbackTransaction();
      await writer.release();
    }
  });
});
