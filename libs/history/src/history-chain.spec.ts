import {
  canonicalJson,
  ChainedEvent,
  eventMac,
  eventPreimage,
  GENESIS_HASH,
  hashEvent,
  headMac,
  verifyChain,
} from './history-chain';

const MEMO = '6f1c2b8e-3d4a-4e5f-9a0b-1c2d3e4f5a6b';

function chain(n: number): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = {
      id: `00000000-0000-4000-8000-00000000000${seq}`,
      memorandumId: MEMO,
      seq,
      action: seq === 1 ? 'create' : 'submit',
      fromStatus: seq === 1 ? null : 'draft',
      toStatus: seq === 1 ? 'draft' : 'in_review',
      actorUserId: '11111111-1111-4111-8111-111111111111',
      actorName: 'Парида Иманжановна Мамедова',
      organisationId: '22222222-2222-4222-8222-222222222222',
      revisionNumber: seq,
      revisionHash: 'ab'.repeat(32),
      reason: null,
      requestId: `req-${seq}`,
      at: new Date(Date.UTC(2021, 8, 28, 5, 0, seq)),
      data: { note: 'Жас Ұлан', n: seq },
      prevHash: prev,
    };
    const e = { ...fields, hash: hashEvent(fields) };
    out.push(e);
    prev = e.hash;
  }
  return out;
}

const headOf = (events: ChainedEvent[]) => ({
  lastSeq: events.length,
  lastHash: events.length ? events[events.length - 1].hash : GENESIS_HASH,
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined members and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, { z: true, y: null }], c: undefined } })).toBe(
      '{"a":{"d":[3,1,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('normalises strings and keys to NFC, so composed and decomposed Kazakh letters hash alike', () => {
    const decomposed = 'Ә'.normalize('NFD') + 'и\u0306'; // и + combining breve = й
    expect(decomposed).not.toBe('Әй');
    expect(canonicalJson({ [decomposed]: decomposed })).toBe(canonicalJson({ Әй: 'Әй' }));
  });

  it('writes dates as ISO-8601 UTC with milliseconds, whatever offset they were made with', () => {
    expect(canonicalJson(new Date('2021-09-28T11:00:00+06:00'))).toBe('"2021-09-28T05:00:00.000Z"');
  });

  it('refuses values JSON cannot carry exactly', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson(BigInt(1))).toThrow(TypeError);
    expect(() => canonicalJson(new Date('nope'))).toThrow(TypeError);
  });
});

describe('hashEvent', () => {
  it('is a 64-hex SHA-256 that covers every field, prev_hash included', () => {
    const [e] = chain(1);
    expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(eventPreimage(e)).toContain(`"prevHash":"${GENESIS_HASH}"`);
    const variants: Array<Partial<ChainedEvent>> = [
      { id: '00000000-0000-4000-8000-0000000000ff' },
      { memorandumId: '6f1c2b8e-3d4a-4e5f-9a0b-000000000000' },
      { seq: 2 },
      { action: 'withdraw' },
      { fromStatus: 'draft' },
      { toStatus: 'withdrawn' },
      { actorUserId: null },
      { actorName: 'Болатбек Уәли' },
      { organisationId: null },
      { revisionNumber: 2 },
      { revisionHash: 'cd'.repeat(32) },
      { reason: 'x' },
      { requestId: null },
      { at: new Date(e.at.getTime() + 1) },
      { data: { note: 'Жас Ұлан', n: 2 } },
      { prevHash: 'f'.repeat(64) },
    ];
    for (const v of variants) expect(hashEvent({ ...e, ...v })).not.toBe(e.hash);
  });

  it('does not depend on key order in data or on the case of uuids', () => {
    const [e] = chain(1);
    expect(hashEvent({ ...e, data: { n: 1, note: 'Жас Ұлан' }, memorandumId: MEMO.toUpperCase() })).toBe(e.hash);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and an empty one', () => {
    const events = chain(4);
    expect(verifyChain(MEMO, events, headOf(events))).toEqual({ valid: true, events: 4 });
    expect(verifyChain(MEMO, [...events].reverse(), headOf(events))).toEqual({ valid: true, events: 4 });
    expect(verifyChain(MEMO, [], null)).toEqual({ valid: true, events: 0 });
  });

  it('finds an edited event by its hash', () => {
    const events = chain(4);
    events[2] = { ...events[2], reason: 'edited afterwards' };
    expect(verifyChain(MEMO, events, headOf(chain(4)))).toMatchObject({
      valid: false,
      brokenAtSeq: 3,
      reason: expect.stringContaining('altered'),
    });
  });

  it('finds an edited event whose hash was recomputed, at the next event', () => {
    const events = chain(4);
    const forged = { ...events[1], reason: 'forged' };
    events[1] = { ...forged, hash: hashEvent(forged) };
    expect(verifyChain(MEMO, events, headOf(chain(4)))).toMatchObject({ valid: false, brokenAtSeq: 3 });
  });

  it('finds a deleted middle event by the gap in seq', () => {
    const events = chain(4);
    const head = headOf(events);
    events.splice(1, 1);
    expect(verifyChain(MEMO, events, head)).toMatchObject({
      valid: false,
      brokenAtSeq: 2,
      reason: expect.stringContaining('missing'),
    });
  });

  it('finds a deleted and renumbered event by prev_hash', () => {
    const events = chain(4);
    const head = headOf(events);
    const renumbered = [events[0], { ...events[2], seq: 2 }, { ...events[3], seq: 3 }];
    expect(verifyChain(MEMO, renumbered, { ...head, lastSeq: 3 })).toMatchObject({
      valid: false,
      brokenAtSeq: 2,
      reason: expect.stringContaining('prev_hash'),
    });
  });

  it('finds a deleted tail through the head, and a missing or disagreeing head', () => {
    const events = chain(4);
    const head = headOf(events);
    expect(verifyChain(MEMO, events.slice(0, 3), head)).toMatchObject({ valid: false, brokenAtSeq: 4 });
    expect(verifyChain(MEMO, [], head)).toMatchObject({ valid: false, brokenAtSeq: 1 });
    expect(verifyChain(MEMO, events, null)).toMatchObject({ valid: false, brokenAtSeq: 1 });
    expect(verifyChain(MEMO, events, { lastSeq: 3, lastHash: events[2].hash })).toMatchObject({
      valid: false,
      brokenAtSeq: 4,
    });
    expect(verifyChain(MEMO, events, { lastSeq: 4, lastHash: 'e'.repeat(64) })).toMatchObject({
      valid: false,
      brokenAtSeq: 4,
    });
  });

  it('refuses events of another memorandum and duplicated seqs', () => {
    const events = chain(2);
    expect(verifyChain('6f1c2b8e-3d4a-4e5f-9a0b-000000000000', events, headOf(events))).toMatchObject({
      valid: false,
      brokenAtSeq: 1,
    });
    expect(verifyChain(MEMO, [events[0], events[0], events[1]], headOf(events))).toMatchObject({
      valid: false,
      brokenAtSeq: 1,
    });
  });
});

describe('verifyChain: keys, start and the memorandum row', () => {
  const key = Buffer.alloc(32, 7);
  const chain = (actions: Array<[string, string | null, string]>) => {
    const id = '3f0c0000-0000-4000-8000-000000000001';
    let prevHash = GENESIS_HASH;
    return actions.map(([action, fromStatus, toStatus], i) => {
      const fields = {
        id: `3f0c0000-0000-4000-8000-00000000010${i}`,
        memorandumId: id,
        seq: i + 1,
        action,
        fromStatus,
        toStatus,
        actorUserId: null,
        actorName: null,
        organisationId: null,
        revisionNumber: 1,
        revisionHash: null,
        reason: null,
        requestId: null,
        at: new Date(Date.UTC(2021, 8, 28, i)),
        data: {},
        prevHash,
      };
      const hash = hashEvent(fields);
      prevHash = hash;
      return { ...fields, hash, mac: eventMac(key, hash) };
    });
  };
  const headOf = (events: ReturnType<typeof chain>) => {
    const last = events[events.length - 1];
    return { lastSeq: last.seq, lastHash: last.hash, mac: headMac(key, last.memorandumId, last.seq, last.hash) };
  };

  it('passes an intact keyed chain that ends where the memorandum is', () => {
    const events = chain([
      ['create', null, 'draft'],
      ['submit', 'draft', 'in_review'],
    ]);
    expect(
      verifyChain(events[0].memorandumId, events, headOf(events), {
        macKey: key,
        expected: { state: 'in_review', version: 2 },
      }),
    ).toEqual({ valid: true, events: 2 });
  });

  it('names each break', () => {
    const events = chain([
      ['create', null, 'draft'],
      ['submit', 'draft', 'in_review'],
    ]);
    const id = events[0].memorandumId;
    const kind = (
      e: typeof events,
      h: ReturnType<typeof headOf> | null,
      expected?: { state: string; version: number } | null,
      macKey: Buffer | undefined = key,
    ) => (verifyChain(id, e, h, { macKey, expected }) as { kind?: string }).kind;
    expect(kind(events, headOf(events), undefined, Buffer.alloc(32, 8))).toBe('forged_event');
    expect(kind(events, { ...headOf(events), mac: 'f'.repeat(64) })).toBe('forged_head');
    const started = chain([['submit', 'draft', 'in_review']]);
    expect(kind(started, headOf(started))).toBe('not_started_by_create');
    expect(kind([], null, { state: 'draft', version: 1 })).toBe('no_history');
    expect(kind(events, headOf(events), { state: 'executed', version: 2 })).toBe('status_mismatch');
    expect(kind(events, headOf(events), { state: 'in_review', version: 3 })).toBe('version_mismatch');
    expect(kind(events, headOf(events), null)).toBe('memorandum_missing');
    // Without the key, a rewound head is still caught by the memorandum row.
    const rewound = events.slice(0, 1);
    expect(kind(rewound, headOf(rewound), { state: 'in_review', version: 2 }, undefined)).toBe('status_mismatch');
  });
});

describe('verifyChain against the stored revisions, files and a checkpoint', () => {
  // chain(2): event 1 names revision 1, event 2 revision 2, both with hash ab…ab.
  const events = chain(2);
  const expected = (over: Record<string, unknown> = {}) => ({
    state: 'in_review',
    version: 2,
    revisions: [
      { number: 1, hash: 'ab'.repeat(32), recomputedHash: 'ab'.repeat(32) },
      { number: 2, hash: 'ab'.repeat(32), recomputedHash: 'ab'.repeat(32) },
    ],
    ...over,
  });
  const check = (over: Record<string, unknown> = {}, anchor?: { seq: number; hash: string }) =>
    verifyChain(MEMO, events, headOf(events), {
      expected: expected(over),
      ...(anchor ? { anchor: { memorandumId: MEMO, ...anchor } } : {}),
    });

  it('revisions that hash to what the events recorded verify', () => {
    expect(check()).toEqual({ valid: true, events: 2 });
  });

  it('a stored text that no longer hashes to its hash → altered_revision at the first event naming it', () => {
    const revisions = [...expected().revisions];
    revisions[1] = { ...revisions[1], recomputedHash: 'cd'.repeat(32) };
    expect(check({ revisions })).toMatchObject({ valid: false, kind: 'altered_revision', brokenAtSeq: 2 });
  });

  it('a text and its hash rewritten together → altered_revision: the event recorded another hash', () => {
    const revisions = [...expected().revisions];
    revisions[0] = { number: 1, hash: 'cd'.repeat(32), recomputedHash: 'cd'.repeat(32) };
    expect(check({ revisions })).toMatchObject({ valid: false, kind: 'altered_revision', brokenAtSeq: 1 });
  });

  it('a revision unfrozen or deleted → revision_missing; one frozen by hand → unrecorded_revision', () => {
    const unfrozen = [expected().revisions[0], { number: 2, hash: null, recomputedHash: null }];
    expect(check({ revisions: unfrozen })).toMatchObject({ kind: 'revision_missing', brokenAtSeq: 2 });
    expect(check({ revisions: [expected().revisions[0]] })).toMatchObject({ kind: 'revision_missing' });
    const extra = [...expected().revisions, { number: 3, hash: 'ef'.repeat(32), recomputedHash: 'ef'.repeat(32) }];
    expect(check({ revisions: extra })).toMatchObject({ kind: 'unrecorded_revision' });
  });

  it("the memorandum's copy of the text differing → text_mismatch; a file altered or unrecorded → altered_file", () => {
    expect(check({ textCopy: { revisionNumber: 2, differs: ['body'] } })).toMatchObject({ kind: 'text_mismatch' });
    const file = { id: 'f', sha256: '12'.repeat(32), intact: true, recorded: true };
    expect(check({ files: [file] })).toEqual({ valid: true, events: 2 });
    expect(check({ files: [{ ...file, intact: false }] })).toMatchObject({ kind: 'altered_file' });
    expect(check({ files: [{ ...file, recorded: false }] })).toMatchObject({ kind: 'altered_file' });
  });

  it('a checkpoint head the chain passes through verifies; one it went back behind or away from does not', () => {
    expect(check({}, { seq: 1, hash: events[0].hash })).toEqual({ valid: true, events: 2 });
    expect(check({}, { seq: 2, hash: events[1].hash })).toEqual({ valid: true, events: 2 });
    expect(check({}, { seq: 3, hash: 'ab'.repeat(32) })).toMatchObject({
      kind: 'rewound_since_checkpoint',
      brokenAtSeq: 3,
    });
    expect(check({}, { seq: 2, hash: 'ab'.repeat(32) })).toMatchObject({
      kind: 'rewritten_since_checkpoint',
      brokenAtSeq: 2,
    });
    expect(verifyChain(MEMO, [], null, { anchor: { memorandumId: MEMO, seq: 1, hash: events[0].hash } })).toMatchObject(
      {
        kind: 'rewound_since_checkpoint',
      },
    );
  });
});
