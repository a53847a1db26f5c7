/**
 * How much of an evidence file the verifier reads. A real memorandum has some tens of parties,
 * some hundreds of history events and at most some thousands of commitments; the limits are ten
 * to a hundred times that, and bound the work of a hostile file (docs/evidence.md, "Limits").
 * They are the same for `POST /evidence/verify` and `kelisim verify-evidence`.
 */

/** Largest evidence PDF read, in bytes (the API refuses a larger body with 413). */
export const EVIDENCE_FILE_LIMIT = 20 * 1024 * 1024;

/** Largest attached kelisim-evidence.json, in bytes, after inflating it when it is compressed. */
export const EVIDENCE_ATTACHMENT_LIMIT = 20 * 1024 * 1024;

/** Most entries each list of the attached evidence may have (a party's representatives: per party). */
export const EVIDENCE_LIST_LIMITS = {
  parties: 500,
  'parties[].representatives': 500,
  approvals: 5_000,
  signatures: 5_000,
  commitments: 20_000,
  'revision.terms.parties': 500,
  'revision.terms.commitments': 20_000,
  'history.events': 50_000,
} as const;

/** The file is beyond a limit: nothing of it was checked. */
export class EvidenceLimitExceeded extends Error {
  constructor(
    /** The list (`history.events`), `file`, or the attachment's name. */
    readonly field: string,
    readonly size: number | null,
    readonly limit: number,
    readonly unit: 'entries' | 'bytes',
  ) {
    super(
      unit === 'bytes'
        ? `${field} is larger than ${limit} bytes`
        : `${field} has ${size} entries; at most ${limit} are read`,
    );
    this.name = 'EvidenceLimitExceeded';
  }
}

const lengthOf = (v: unknown) => (Array.isArray(v) ? v.length : 0);

/** Throws EvidenceLimitExceeded for the first list of `d` over its limit. */
export function checkEvidenceLists(d: {
  parties?: unknown;
  approvals?: unknown;
  signatures?: unknown;
  commitments?: unknown;
  revision?: { terms?: { parties?: unknown; commitments?: unknown } };
  history?: { events?: unknown };
}): void {
  let representatives = 0;
  for (const p of Array.isArray(d.parties) ? (d.parties as Array<{ representatives?: unknown } | null>) : [])
    representatives = Math.max(representatives, lengthOf(p?.representatives));
  const sizes: Record<keyof typeof EVIDENCE_LIST_LIMITS, number> = {
    parties: lengthOf(d.parties),
    'parties[].representatives': representatives,
    approvals: lengthOf(d.approvals),
    signatures: lengthOf(d.signatures),
    commitments: lengthOf(d.commitments),
    'revision.terms.parties': lengthOf(d.revision?.terms?.parties),
    'revision.terms.commitments': lengthOf(d.revision?.terms?.commitments),
    'history.events': lengthOf(d.history?.events),
  };
  for (const [field, limit] of Object.entries(EVIDENCE_LIST_LIMITS) as Array<[keyof typeof sizes, number]>) {
    if (sizes[field] > limit) throw new EvidenceLimitExceeded(field, sizes[field], limit, 'entries');
  }
}
