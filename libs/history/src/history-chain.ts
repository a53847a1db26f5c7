/**
 * The hash chain of a memorandum's history, without Nest or a database. Each event's hash is
 * SHA-256 over a canonical serialisation of all its fields, the previous event's hash included,
 * so editing, removing or reordering an event breaks every hash after it. The format below is
 * part of the stored data: changing it invalidates every chain ever written (bump the version).
 */
import { createHash } from 'node:crypto';

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
}

export interface ChainHead {
  lastSeq: number;
  lastHash: string;
}

export type VerifyResult = { valid: true; events: number } | { valid: false; brokenAtSeq: number; reason: string };

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
 * Checks a memorandum's events (in any order; they are sorted by seq) against each other and
 * against the head row. Reports the first seq at which the chain stops being trustworthy:
 * a missing seq (deleted event), a prev_hash that does not name the previous event (deleted or
 * reordered event), a hash that does not match the event's content (edited event), or a head that
 * names more events than exist (deleted tail).
 */
export function verifyChain(memorandumId: string, events: ChainedEvent[], head: ChainHead | null): VerifyResult {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i];
    const expectedSeq = i + 1;
    if (e.seq !== expectedSeq) {
      return e.seq > expectedSeq
        ? {
            valid: false,
            brokenAtSeq: expectedSeq,
            reason: `event ${expectedSeq} is missing (next stored event is ${e.seq})`,
          }
        : { valid: false, brokenAtSeq: e.seq, reason: `event ${e.seq} is stored more than once` };
    }
    if (e.memorandumId.toLowerCase() !== memorandumId.toLowerCase()) {
      return { valid: false, brokenAtSeq: e.seq, reason: `event ${e.seq} belongs to memorandum ${e.memorandumId}` };
    }
    if (e.prevHash !== prevHash) {
      return {
        valid: false,
        brokenAtSeq: e.seq,
        reason: `event ${e.seq} does not follow event ${e.seq - 1}: prev_hash ${e.prevHash} is not ${prevHash}`,
      };
    }
    const actual = hashEvent(e);
    if (actual !== e.hash) {
      return {
        valid: false,
        brokenAtSeq: e.seq,
        reason: `event ${e.seq} was altered: its content hashes to ${actual}, stored hash is ${e.hash}`,
      };
    }
    prevHash = e.hash;
  }
  const lastSeq = sorted.length;
  if (!head) {
    return lastSeq === 0
      ? { valid: true, events: 0 }
      : { valid: false, brokenAtSeq: 1, reason: 'the chain head is missing although events exist' };
  }
  if (head.lastSeq > lastSeq) {
    return {
      valid: false,
      brokenAtSeq: lastSeq + 1,
      reason: `events ${lastSeq + 1}..${head.lastSeq} are missing (the head records ${head.lastSeq} events)`,
    };
  }
  if (head.lastSeq < lastSeq) {
    return {
      valid: false,
      brokenAtSeq: head.lastSeq + 1,
      reason: `events after ${head.lastSeq} are not recorded in the chain head`,
    };
  }
  if (head.lastHash !== prevHash) {
    return {
      valid: false,
      brokenAtSeq: lastSeq,
      reason: `the head's hash ${head.lastHash} is not the hash of event ${lastSeq}`,
    };
  }
  return { valid: true, events: lastSeq };
}
