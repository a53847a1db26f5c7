/**
 * History that catches a rewind and a bypass (security review, hole 5). Each tampering an attacker
 * with database access (but not the history key) could do is named by verification, through the
 * API and by `kelisim verify-history --all`; and the migration that added the keyed MACs kept
 * chains written before it verifiable.
 */
import { hashEvent, HistoryService } from '@kelisim/history';
import { Role } from '@kelisim/identity';
import { HistoryMac1795002200000 } from '../migrations/1795002200000-HistoryMac';
import { runCli } from './support/cli';
import { TEST_REDIS_URL } from './support/databases';
import { createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

describe('history tampering is detected and named', () => {
  let t: TestApp;
  let coordinator: TestUser;
  let orgId: string;

  beforeAll(async () => {
    t = await startTestApp();
    orgId = (await createOrganisation(t, 'Қоғамдық келісім')).id;
    coordinator = await createUser(t, {
      fullName: 'Парида Мамедова',
      email: 'c@kelisim.test',
      organisationId: orgId,
      roles: [Role.Coordinator],
    });
  });
  afterAll(() => t?.close());

  /** A draft with `edits` edits after its creation: 1 + edits events, version 1 + edits. */
  async function memorandum(edits: number): Promise<string> {
    const res = await t
      .http()
      .post('/memoranda')
      .set(coordinator.auth)
      .send({ title: 'Меморандум', purpose: 'p', body: 'b', language: 'kk', coordinatingOrganisationId: orgId });
    for (let v = 1; v <= edits; v++) {
      await t
        .http()
        .patch(`/memoranda/${res.body.id}`)
        .set(coordinator.auth)
        .send({ title: `Меморандум ${v}`, version: v })
        .expect(200);
    }
    return res.body.id;
  }
  const verify = async (id: string) =>
    (await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator.auth)).body;
  const q = (sql: string, params: unknown[]) => t.db.query(sql, params);

  it('an untouched memorandum verifies', async () => {
    expect(await verify(await memorandum(2))).toEqual({ valid: true, events: 3 });
  });

  it('the last event deleted and the head rewound → forged_head (and the memorandum row disagrees)', async () => {
    const id = await memorandum(2);
    const [prev] = await q('SELECT seq, hash FROM history_events WHERE memorandum_id = $1 AND seq = 2', [id]);
    await q('DELETE FROM history_events WHERE memorandum_id = $1 AND seq = 3', [id]);
    await q('UPDATE history_heads SET last_seq = 2, last_hash = $2 WHERE memorandum_id = $1', [id, prev.hash]);
    expect(await verify(id)).toMatchObject({ valid: false, kind: 'forged_head', brokenAtSeq: 2 });
  });

  it('every event and the head of an existing memorandum deleted → no_history', async () => {
    const id = await memorandum(1);
    await q('DELETE FROM history_events WHERE memorandum_id = $1', [id]);
    await q('DELETE FROM history_heads WHERE memorandum_id = $1', [id]);
    expect(await verify(id)).toMatchObject({ valid: false, kind: 'no_history', brokenAtSeq: 1 });
  });

  it('actor_name edited and the unkeyed SHA-256 chain recomputed → forged_event at that event', async () => {
    const id = await memorandum(2);
    const history = t.app.get(HistoryService);
    const events = await t.db.query(
      `SELECT id, memorandum_id AS "memorandumId", seq, action, from_status AS "fromStatus", to_status AS "toStatus", actor_user_id AS "actorUserId",
              actor_name AS "actorName", organisation_id AS "organisationId", revision_number AS "revisionNumber", revision_hash AS "revisionHash",
              reason, request_id AS "requestId", at, data, prev_hash AS "prevHash" FROM history_events WHERE memorandum_id = $1 ORDER BY seq`,
      [id],
    );
    let prevHash = '0'.repeat(64);
    for (const e of events) {
      if (e.seq === 2) e.actorName = 'Someone Else';
      e.prevHash = prevHash;
      const hash = hashEvent(e);
      await q('UPDATE history_events SET actor_name = $2, prev_hash = $3, hash = $4 WHERE id = $1', [
        e.id,
        e.actorName,
        e.prevHash,
        hash,
      ]);
      prevHash = hash;
    }
    await q('UPDATE history_heads SET last_hash = $2 WHERE memorandum_id = $1', [id, prevHash]);
    expect((await history.list(id))[1].actor?.name).toBe('Someone Else');
    expect(await verify(id)).toMatchObject({ valid: false, kind: 'forged_event', brokenAtSeq: 2 });
  });

  it('UPDATE memoranda SET status = executed → status_mismatch; a version moved by hand → version_mismatch', async () => {
    const a = await memorandum(1);
    await q(`UPDATE memoranda SET status = 'executed' WHERE id = $1`, [a]);
    expect(await verify(a)).toMatchObject({ valid: false, kind: 'status_mismatch', brokenAtSeq: 2 });
    const b = await memorandum(1);
    await q('UPDATE memoranda SET version = version + 1 WHERE id = $1', [b]);
    expect(await verify(b)).toMatchObject({ valid: false, kind: 'version_mismatch' });
  });

  it('a chain that does not start with create → not_started_by_create', async () => {
    const id = await memorandum(0);
    await q(`UPDATE history_events SET action = 'edit' WHERE memorandum_id = $1`, [id]);
    // Editing without rehashing is an altered event first; the start rule is checked on intact events (unit tests).
    expect(await verify(id)).toMatchObject({ valid: false, kind: 'altered_event' });
  });

  it('kelisim verify-history --all names each kind of break and exits 1', () => {
    const r = runCli(['verify-history', '--all'], { DATABASE_URL: t.databaseUrl, REDIS_URL: TEST_REDIS_URL });
    expect(r.status).toBe(1);
    for (const kind of [
      'forged_head',
      'no_history',
      'forged_event',
      'status_mismatch',
      'version_mismatch',
      'altered_event',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^BROKEN  [0-9a-f-]{36}  ${kind} at seq \\d+: `, 'm'));
    }
    expect(r.stdout).toMatch(/^ok {6}[0-9a-f-]{36} {2}3 event\(s\), last hash [0-9a-f]{64}$/m);
  });

  it('the migration seals chains written before it: they still verify, with their MACs', async () => {
    const id = await memorandum(2);
    const migration = new HistoryMac1795002200000();
    const runner = t.db.createQueryRunner();
    try {
      await migration.down(runner);
      expect(
        (
          await runner.query(
            `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'history_events' AND column_name = 'mac'`,
          )
        )[0].n,
      ).toBe(0);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await verify(id)).toEqual({ valid: true, events: 3 });
    const [row] = await q('SELECT mac FROM history_events WHERE memorandum_id = $1 AND seq = 3', [id]);
    expect(row.mac).toMatch(/^[0-9a-f]{64}$/);
  });
});
