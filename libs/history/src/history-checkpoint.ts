/**
 * A checkpoint: every chain's head at one moment, written to a file kept outside the database and
 * sealed with the history key. The heads in the database carry MACs too, but an earlier head (with
 * its genuine MAC) can be put back together with the memorandum's earlier status and version; only
 * a copy kept elsewhere shows that the chain once went further (docs/history.md).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson, CheckpointHead } from './history-chain';

export const CHECKPOINT_VERSION = 'kelisim.history.checkpoint.v1';

export interface HistoryCheckpoint {
  v: typeof CHECKPOINT_VERSION;
  /** When the heads were read (ISO-8601 UTC). */
  at: string;
  heads: CheckpointHead[];
  /** HMAC-SHA256 under the history key of the canonical JSON of every other field. */
  mac: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function checkpointMac(key: Buffer, at: string, heads: CheckpointHead[]): string {
  return createHmac('sha256', key)
    .update(`kelisim.history.mac.v1:checkpoint:${canonicalJson({ v: CHECKPOINT_VERSION, at, heads })}`)
    .digest('hex');
}

export function sealCheckpoint(key: Buffer, at: Date, heads: CheckpointHead[]): HistoryCheckpoint {
  const sorted = heads
    .map((h) => ({ memorandumId: h.memorandumId.toLowerCase(), seq: h.seq, hash: h.hash }))
    .sort((a, b) => (a.memorandumId < b.memorandumId ? -1 : a.memorandumId > b.memorandumId ? 1 : 0));
  const iso = at.toISOString();
  return { v: CHECKPOINT_VERSION, at: iso, heads: sorted, mac: checkpointMac(key, iso, sorted) };
}

/** Parses a checkpoint file and checks its MAC: a file not sealed with this history key is refused, not trusted. */
export function openCheckpoint(
  key: Buffer,
  text: string,
): { ok: true; checkpoint: HistoryCheckpoint } | { ok: false; reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'it is not JSON' };
  }
  const c = parsed as Partial<HistoryCheckpoint>;
  if (!c || typeof c !== 'object' || c.v !== CHECKPOINT_VERSION)
    return { ok: false, reason: `it is not a ${CHECKPOINT_VERSION} checkpoint` };
  if (
    typeof c.at !== 'string' ||
    Number.isNaN(Date.parse(c.at)) ||
    !Array.isArray(c.heads) ||
    typeof c.mac !== 'string'
  )
    return { ok: false, reason: 'it lacks `at`, `heads` or `mac`' };
  for (const h of c.heads as unknown[]) {
    const head = h as Partial<CheckpointHead>;
    if (
      !head ||
      typeof head.memorandumId !== 'string' ||
      !UUID.test(head.memorandumId) ||
      !Number.isInteger(head.seq) ||
      (head.seq as number) < 0 ||
      typeof head.hash !== 'string' ||
      !HEX64.test(head.hash)
    )
      return { ok: false, reason: `a head is malformed: ${JSON.stringify(h).slice(0, 200)}` };
  }
  const expected = checkpointMac(key, c.at, c.heads);
  if (c.mac.length !== expected.length || !timingSafeEqual(Buffer.from(c.mac), Buffer.from(expected)))
    return {
      ok: false,
      reason: "its MAC is not this installation's: it was edited, or sealed with another history key",
    };
  return { ok: true, checkpoint: c as HistoryCheckpoint };
}
