import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, HistoryService } from '@kelisim/history';
import { startTestApp, TestApp } from './support/test-app';

describe('history: hash-chained events per memorandum (real PostgreSQL)', () => {
  let t: TestApp;
  let history: HistoryService;
  const actor = randomUUID();
  const org = randomUUID();

  beforeAll(async () => {
    t = await startTestApp();
    history = t.app.get(HistoryService);
  });
  afterAll(() => t?.close());

  /** Appends `n` events to a fresh memorandum, each in its own transaction like a transition. */
  async function memorandumWith(n: number): Promise<string> {
    const id = randomUUID();
    const steps: Array<[string, string | null, string]> = [
      ['create', null, 'draft'],
      ['submit', 'draft', 'in_review'],
      ['request_changes', 'in_review', 'draft'],
      ['submit', 'draft', 'in_review'],
      ['approve', 'in_review', 'approved'],
    ];
    for (let i = 0; i < n; i++) {
      const [action, from, to] = steps[i % steps.length];
      await t.db.transaction((m) =>
        history.append(m, {
          memorandumId: id,
          action,
          fromStatus: from,
          toStatus: to,
          actorUserId: actor,
          actorName: 'Парида Иманжановна Мамедова',
          organisationId: org,
          revisionNumber: 1 + Math.floor(i / 3),
          revisionHash: 'ab'.repeat(32),
          reason: i === 2 ? 'Қосымша: «Жас Ұлан» өкілдігін нақтылау' : null,
          requestId: `req-${i + 1}`,
          at: new Date(Date.UTC(2021, 8, 20, 4, 0, 0, 123) + i * 60_000),
          data: { step: i + 1, parties: ['Жас Ұлан', 'Jas Otan'] },
        }),
      );
    }
    return id;
  }

  it('appends a chain that lists in order, links each event to the previous one and verifies', async () => {
    const id = await memorandumWith(5);
    const items = await history.list(id);
    expect(items.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(items[0].prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < items.length; i++) expect(items[i].prevHash).toBe(items[i - 1].hash);
    expect(items[2]).toMatchObject({
      action: 'request_changes',
      fromStatus: 'in_review',
      toStatus: 'draft',
      actor: { userId: actor, name: 'Парида Иманжановна Мамедова' },
      organisationId: org,
      reason: 'Қосымша: «Жас Ұлан» өкілдігін нақтылау',
      requestId: 'req-3',
      data: { step: 3, parties: ['Жас Ұлан', 'Jas Otan'] },
    });
    expect(items[0].at.toISOString()).toBe('2021-09-20T04:00:00.123Z');
    expect(await history.verify(id)).toEqual({ valid: true, events: 5 });
    const [head] = await t.db.query('SELECT last_seq, last_hash FROM history_heads WHERE memorandum_id = $1', [id]);
    expect(head).toEqual({ last_seq: 5, last_hash: items[4].hash });
  });

  it('keeps chains of different memoranda apart, and an unknown memorandum has an empty valid chain', async () => {
    const a = await memorandumWith(2);
    const b = await memorandumWith(3);
    expect(await history.verify(a)).toEqual({ valid: true, events: 2 });
    expect(await history.verify(b)).toEqual({ valid: true, events: 3 });
    expect((await history.list(b))[0].prevHash).toBe(GENESIS_HASH);
    expect(await history.verify(randomUUID())).toEqual({ valid: true, events: 0 });
    expect(await history.memorandumIds()).toEqual(expect.arrayContaining([a, b]));
  });

  it('rolls the event back with the transaction that failed', async () => {
    const id = await memorandumWith(2);
    await expect(
      t.db.transaction(async (m) => {
        await history.append(m, {
          memorandumId: id,
          action: 'submit',
          fromStatus: 'draft',
          toStatus: 'in_review',
          actorUserId: null,
          actorName: null,
          organisationId: null,
          revisionNumber: null,
          revisionHash: null,
          reason: null,
          requestId: null,
          at: new Date(),
        });
        throw new Error('transition failed after writing history');
      }),
    ).rejects.toThrow('transition failed');
    expect(await history.verify(id)).toEqual({ valid: true, events: 2 });
    expect((await history.list(id)).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('refuses to append outside a transaction', async () => {
    await expect(
      history.append(t.db.manager, {
        memorandumId: randomUUID(),
        action: 'create',
        fromStatus: null,
        toStatus: 'draft',
        actorUserId: null,
        actorName: null,
        organisationId: null,
        revisionNumber: null,
        revisionHash: null,
        reason: null,
        requestId: null,
        at: new Date(),
      }),
    ).rejects.toThrow(/inside a transaction/);
  });

  it('serialises concurrent appends to one memorandum: every event gets its own seq and the chain stays valid', async () => {
    const id = await memorandumWith(1);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.db.transaction((m) =>
          history.append(m, {
            memorandumId: id,
            action: 'comment',
            fromStatus: null,
            toStatus: null,
            actorUserId: actor,
            actorName: null,
            organisationId: null,
            revisionNumber: null,
            revisionHash: null,
            reason: null,
            requestId: `c-${i}`,
            at: new Date(),
          }),
        ),
      ),
    );
    expect(await history.verify(id)).toEqual({ valid: true, events: 9 });
  });

  it('a second row with the same seq is refused by the database', async () => {
    const id = await memorandumWith(1);
    await expect(
      t.db.query(
        `INSERT INTO history_events (id, memorandum_id, seq, action, at, data, prev_hash, hash, mac)
         SELECT gen_random_uuid(), memorandum_id, seq, action, at, data, prev_hash, hash, mac FROM history_events WHERE memorandum_id = $1`,
        [id],
      ),
    ).rejects.toThrow(/history_events_memorandum_seq_key/);
  });

  it('detects an edited event at its seq', async () => {
    const id = await memorandumWith(5);
    await t.db.query(
      `UPDATE history_events SET reason = 'изменено задним числом' WHERE memorandum_id = $1 AND seq = 3`,
      [id],
    );
    expect(await history.verify(id)).toMatchObject({
      valid: false,
      brokenAtSeq: 3,
      reason: expect.stringContaining('altered'),
    });
  });

  it('detects an edited time and edited data', async () => {
    const a = await memorandumWith(4);
    await t.db.query(
      `UPDATE history_events SET at = at + interval '1 millisecond' WHERE memorandum_id = $1 AND seq = 2`,
      [a],
    );
    expect(await history.verify(a)).toMatchObject({ valid: false, brokenAtSeq: 2 });
    const b = await memorandumWith(4);
    await t.db.query(
      `UPDATE history_events SET data = jsonb_set(data, '{step}', '40') WHERE memorandum_id = $1 AND seq = 4`,
      [b],
    );
    expect(await history.verify(b)).toMatchObject({ valid: false, brokenAtSeq: 4 });
  });

  it('detects a deleted middle event', async () => {
    const id = await memorandumWith(5);
    await t.db.query(`DELETE FROM history_events WHERE memorandum_id = $1 AND seq = 2`, [id]);
    expect(await history.verify(id)).toMatchObject({
      valid: false,
      brokenAtSeq: 2,
      reason: expect.stringContaining('missing'),
    });
  });

  it('detects a deleted middle event even when the later ones were renumbered', async () => {
    const id = await memorandumWith(5);
    await t.db.query(`DELETE FROM history_events WHERE memorandum_id = $1 AND seq = 2`, [id]);
    for (const seq of [3, 4, 5])
      await t.db.query(`UPDATE history_events SET seq = seq - 1 WHERE memorandum_id = $1 AND seq = $2`, [id, seq]);
    await t.db.query(`UPDATE history_heads SET last_seq = 4 WHERE memorandum_id = $1`, [id]);
    expect(await history.verify(id)).toMatchObject({
      valid: false,
      brokenAtSeq: 2,
      reason: expect.stringContaining('prev_hash'),
    });
  });

  it('detects a deleted tail through the chain head', async () => {
    const id = await memorandumWith(5);
    await t.db.query(`DELETE FROM history_events WHERE memorandum_id = $1 AND seq >= 4`, [id]);
    expect(await history.verify(id)).toMatchObject({
      valid: false,
      brokenAtSeq: 4,
      reason: expect.stringContaining('missing'),
    });
  });

  it('detects a deleted head', async () => {
    const id = await memorandumWith(2);
    await t.db.query(`DELETE FROM history_heads WHERE memorandum_id = $1`, [id]);
    expect(await history.verify(id)).toMatchObject({ valid: false, brokenAtSeq: 1 });
  });
});
