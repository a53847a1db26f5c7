/**
 * The hash chain of a memorandum's history, without Nest or a database. Each event's hash is
 * SHA-256 over a canonical serialisation of all its fields, the previous event's hash included,
 * so editing, removing or reordering an event breaks every hash after it. The format below is
 * part of the stored data: changing it invalidates every chain ever written (bump the version).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** Domain separation: a hash of some other Kelisim structure can never pass for a history hash. */
export const HISTORY_HASH_VERSION = 'kelisim.history.v1';

/** Every field that is hashed; the database row holds exactly these (plus `hash`). */
export interface ChainedEventFields {
  id: string;
  memorandumId: string;
  seq: number;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorUserId: string | null;
  actorName: string | null;
  organisationId: string | null;
  revisionNumber: number | null;
  revisionHash: string | null;
  reason: string | null;
  requestId: string | null;
  at: Date;
  data: Record<string, unknown>;
  prevHash: string;
}

export interface ChainedEvent extends ChainedEventFields {
  hash: string;
  /** HMAC-SHA256 of the hash under the history key (outside the database). */
  mac?: string | null;
}

export interface ChainHead {
  lastSeq: number;
  lastHash: string;
  mac?: string | null;
}

/** Each kind of break, by name (docs/history.md says what each one proves). */
export type BreakKind =
  | 'missing_event'
  | 'duplicate_event'
  | 'foreign_event'
  | 'broken_link'
  | 'altered_event'
  | 'forged_event'
  | 'not_started_by_create'
  | 'head_missing'
  | 'head_behind'
  | 'tail_missing'
  | 'head_mismatch'
  | 'forged_head'
  | 'no_history'
  | 'status_mismatch'
  | 'version_mismatch'
  | 'memorandum_missing'
  | 'altered_revision'
  | 'revision_missing'
  | 'unrecorded_revision'
  | 'text_mismatch'
  | 'altered_file'
  | 'rewound_since_checkpoint'
  | 'rewritten_since_checkpoint';

export type VerifyResult =
  { valid: true; events: number } | { valid: false; brokenAtSeq: number; kind: BreakKind; reason: string };

/** What the memorandum row says now; the chain's last event must agree with it. `null`: no such memorandum. */
export interface ExpectedEnd {
  /** The lifecycle state (`draft`, …, `amendment_review`, …). */
  state: string;
  /** Every transition bumps the version and appends one event, so the version is the number of events. */
  version: number;
  /** The memorandum's revisions as stored; the events that name a revision's hash must agree with them. */
  revisions?: StoredRevision[];
  /** The memorandum row's copy of the text it shows: of which revision, and which fields differ from it. */
  textCopy?: { revisionNumber: number; differs: string[] };
  /** The evidence files attached through the history, when their bytes were rehashed. */
  files?: StoredFile[];
}

/** An evidence file as stored: do its bytes hash to its recorded SHA-256, and does an event of this chain record it? */
export interface StoredFile {
  id: string;
  sha256: string;
  intact: boolean;
  recorded: boolean;
}

/**
 * A revision as stored: its `hash` column (null while it is a working revision) and the hash of its
 * stored terms recomputed by the function that froze it (null while a working revision).
 */
export interface StoredRevision {
  number: number;
  hash: string | null;
  recomputedHash: string | null;
}

export interface VerifyOptions {
  /** Checks each event's and the head's keyed MAC. */
  macKey?: Buffer;
  /** Compares the chain with the memorandum row (undefined: not compared; null: the row does not exist). */
  expected?: ExpectedEnd | null;
  /** A head recorded outside the database (history-checkpoint.ts): the chain must still pass through it. */
  anchor?: CheckpointHead;
}

/** One chain's head as a checkpoint recorded it. */
export interface CheckpointHead {
  memorandumId: string;
  seq: number;
  hash: string;
}

const MAC_VERSION = 'kelisim.history.mac.v1';

/** The keyed MAC of an event: over its hash, which commits to every field and to the whole chain before it. */
export function eventMac(key: Buffer, hash: string): string {
  return createHmac('sha256', key).update(`${MAC_VERSION}:event:${hash}`).digest('hex');
}

/** The keyed MAC of a chain head: without the key, a rewound head (fewer events, an older hash) cannot be made to pass. */
export function headMac(key: Buffer, memorandumId: string, lastSeq: number, lastHash: string): string {
  return createHmac('sha256', key)
    .update(`${MAC_VERSION}:head:${memorandumId.toLowerCase()}:${lastSeq}:${lastHash}`)
    .digest('hex');
}

const sameHex = (a: string | null | undefined, b: string) =>
  !!a && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, strings in Unicode NFC,
 * dates as ISO-8601 UTC with milliseconds, `undefined` object members dropped. Anything that JSON
 * cannot represent exactly (NaN, Infinity, functions, symbols, bigint) is refused rather than
 * silently changed, because a value that changes on the way through jsonb would break the chain.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('canonicalJson: invalid Date');
    return JSON.stringify(value.toISOString());
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.normalize('NFC'));
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
      const entries = Object.keys(value as object)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k.normalize('NFC'), (value as Record<string, unknown>)[k]] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (let i = 1; i < entries.length; i++) {
        if (entries[i][0] === entries[i - 1][0])
          throw new TypeError(`canonicalJson: duplicate key "${entries[i][0]}" after NFC normalisation`);
      }
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
}

/** The exact bytes that are hashed for one event (exported so the format is testable and documented). */
export function eventPreimage(e: ChainedEventFields): string {
  const fields: Record<string, unknown> = {
    v: HISTORY_HASH_VERSION,
    id: e.id.toLowerCase(),
    memorandumId: e.memorandumId.toLowerCase(),
    seq: e.seq,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    actorUserId: e.actorUserId?.toLowerCase() ?? null,
    actorName: e.actorName,
    organisationId: e.organisationId?.toLowerCase() ?? null,
    revisionNumber: e.revisionNumber,
    revisionHash: e.revisionHash,
    reason: e.reason,
    requestId: e.requestId,
    at: e.at,
    data: e.data ?? {},
    prevHash: e.prevHash,
  };
  return canonicalJson(fields);
}

export function hashEvent(e: ChainedEventFields): string {
  return createHash('sha256').update(eventPreimage(e), 'utf8').digest('hex');
}

/**
 * Checks a memorandum's events (in any order; they are sorted by seq) against each other, against
 * the head row, with the key against their MACs, and against the memorandum row when given.
 * Reports the first seq at which the chain stops being trustworthy, and the kind of break.
 */
export function verifyChain(
  memorandumId: string,
  events: ChainedEvent[],
  head: ChainHead | null,
  options: VerifyOptions = {},
): VerifyResult {
  const broken = (brokenAtSeq: number, kind: BreakKind, reason: string): VerifyResult => ({
    valid: false,
    brokenAtSeq,
    kind,
    reason,
  });
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const { macKey, expected } = options;
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i];
    const expectedSeq = i + 1;
    if (e.seq !== expectedSeq) {
      return e.seq > expectedSeq
        ? broken(expectedSeq, 'missing_event', `event ${expectedSeq} is missing (next stored event is ${e.seq})`)
        : broken(e.seq, 'duplicate_event', `event ${e.seq} is stored more than once`);
    }
    if (e.memorandumId.toLowerCase() !== memorandumId.toLowerCase()) {
      return broken(e.seq, 'foreign_event', `event ${e.seq} belongs to memorandum ${e.memorandumId}`);
    }
    if (e.prevHash !== prevHash) {
      return broken(
        e.seq,
        'broken_link',
        `event ${e.seq} does not follow event ${e.seq - 1}: prev_hash ${e.prevHash} is not ${prevHash}`,
      );
    }
    const actual = hashEvent(e);
    if (actual !== e.hash) {
      return broken(
        e.seq,
        'altered_event',
        `event ${e.seq} was altered: its content hashes to ${actual}, stored hash is ${e.hash}`,
      );
    }
    if (macKey && !sameHex(e.mac, eventMac(macKey, e.hash))) {
      return broken(
        e.seq,
        'forged_event',
        `event ${e.seq} does not carry Kelisim's keyed MAC: it was written or rehashed without the history key`,
      );
    }
    if (e.seq === 1 && e.action !== 'create') {
      return broken(
        1,
        'not_started_by_create',
        `the chain starts with ${e.action}, not create: its beginning is missing`,
      );
    }
    prevHash = e.hash;
  }
  const lastSeq = sorted.length;
  if (!head) {
    if (lastSeq > 0) return broken(1, 'head_missing', 'the chain head is missing although events exist');
  } else {
    if (head.lastSeq > lastSeq) {
      return broken(
        lastSeq + 1,
        'tail_missing',
        `events ${lastSeq + 1}..${head.lastSeq} are missing (the head records ${head.lastSeq} events)`,
      );
    }
    if (head.lastSeq < lastSeq)
      return broken(head.lastSeq + 1, 'head_behind', `events after ${head.lastSeq} are not recorded in the chain head`);
    if (head.lastHash !== prevHash)
      return broken(lastSeq, 'head_mismatch', `the head's hash ${head.lastHash} is not the hash of event ${lastSeq}`);
    if (macKey && !sameHex(head.mac, headMac(macKey, memorandumId, head.lastSeq, head.lastHash))) {
      return broken(
        lastSeq,
        'forged_head',
        `the chain head does not carry Kelisim's keyed MAC: it was rewound or rewritten without the history key`,
      );
    }
  }
  const { anchor } = options;
  if (anchor && anchor.seq > lastSeq) {
    return broken(
      lastSeq + 1,
      'rewound_since_checkpoint',
      `the chain has ${lastSeq} event(s), but the checkpoint recorded ${anchor.seq} ending in ${anchor.hash}: it was rewound`,
    );
  }
  if (anchor && anchor.seq > 0 && sorted[anchor.seq - 1].hash !== anchor.hash) {
    return broken(
      anchor.seq,
      'rewritten_since_checkpoint',
      `event ${anchor.seq} hashes to ${sorted[anchor.seq - 1].hash}, but the checkpoint recorded ${anchor.hash}: the chain was rewritten`,
    );
  }
  if (expected === null && lastSeq > 0)
    return broken(1, 'memorandum_missing', 'the history names a memorandum that does not exist');
  if (expected) {
    if (lastSeq === 0) return broken(1, 'no_history', 'the memorandum exists but has no history');
    const last = sorted[lastSeq - 1];
    if (last.toStatus !== expected.state) {
      return broken(
        lastSeq,
        'status_mismatch',
        `the memorandum is ${expected.state} but its last event (${lastSeq}, ${last.action}) left it ${last.toStatus}`,
      );
    }
    if (expected.version !== lastSeq) {
      return broken(
        Math.min(lastSeq, expected.version) + 1,
        'version_mismatch',
        `the memorandum is at version ${expected.version} but its history has ${lastSeq} events`,
      );
    }
  }
  if (expected) {
    const revisionBreak = checkRevisions(sorted, expected, broken);
    if (revisionBreak) return revisionBreak;
  }
  return { valid: true, events: lastSeq };
}

/**
 * The signed text against the chain: every frozen revision's stored terms must still hash to its
 * hash, and that hash must be the one the (MAC'd) events recorded when it was submitted, approved
 * and signed. A text edited in SQL changes the first; the text and its hash column edited together
 * change the second; a revision unfrozen or deleted leaves events naming a hash nothing stores.
 */
function checkRevisions(
  events: ChainedEvent[],
  expected: ExpectedEnd,
  broken: (seq: number, kind: BreakKind, reason: string) => VerifyResult,
): VerifyResult | null {
  const naming = new Map<number, ChainedEvent[]>();
  for (const e of events) {
    if (e.revisionNumber === null || e.revisionHash === null) continue;
    const list = naming.get(e.revisionNumber) ?? [];
    list.push(e);
    naming.set(e.revisionNumber, list);
  }
  const stored = new Map((expected.revisions ?? []).map((r) => [r.number, r]));
  const lastSeq = events.length;
  for (const r of [...stored.values()].sort((a, b) => a.number - b.number)) {
    const named = naming.get(r.number) ?? [];
    if (r.hash === null) continue;
    const at = named[0]?.seq ?? lastSeq;
    if (r.recomputedHash !== r.hash) {
      return broken(
        at,
        'altered_revision',
        `revision ${r.number} was altered: its stored terms hash to ${r.recomputedHash}, its recorded hash is ${r.hash}`,
      );
    }
    if (!named.length)
      return broken(lastSeq, 'unrecorded_revision', `revision ${r.number} is frozen but no event records its hash`);
    const other = named.find((e) => e.revisionHash !== r.hash);
    if (other) {
      return broken(
        other.seq,
        'altered_revision',
        `revision ${r.number} was altered: it hashes to ${r.hash}, event ${other.seq} (${other.action}) recorded ${other.revisionHash}`,
      );
    }
  }
  if (expected.revisions) {
    for (const [number, named] of naming) {
      const r = stored.get(number);
      if (!r || r.hash === null) {
        return broken(
          named[0].seq,
          'revision_missing',
          `event ${named[0].seq} (${named[0].action}) records revision ${number}, which is ${r ? 'no longer frozen' : 'not stored'}`,
        );
      }
    }
  }
  const badFile = (expected.files ?? []).find((f) => !f.intact || !f.recorded);
  if (badFile) {
    return broken(
      lastSeq,
      'altered_file',
      badFile.intact
        ? `evidence file ${badFile.id} names SHA-256 ${badFile.sha256}, which no event of this history records`
        : `evidence file ${badFile.id}: its bytes no longer hash to its recorded SHA-256 ${badFile.sha256}`,
    );
  }
  const copy = expected.textCopy;
  if (copy?.differs.length) {
    return broken(
      lastSeq,
      'text_mismatch',
      `the memorandum's copy of the text differs from revision ${copy.revisionNumber}, whose text it shows, in: ${copy.differs.join(', ')}`,
    );
  }
  return null;
}
