/**
 * The signed text as stored, checked against its hash: each frozen revision's terms (with the
 * commitments frozen beside it) hashed again by the function that froze them, and compared with
 * its `hash` column and with the hash its history events recorded. Used by verification (every
 * revision, in the audit's snapshot) and by the reads that serve a revision's text.
 */
import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { canonicalJson, StoredFile, StoredRevision } from '@kelisim/history';
import { ApiError } from '@kelisim/platform';
import { MemorandumRevision } from '../entities';
import { canonicalTranslations, frozenRevisionHash, RevisionTranslations } from './canonical';
import { RevisionCommitment } from './canonical-commitments';

const logger = new Logger('Integrity');

/**
 * The commitments frozen into each revision, by number. Read here with SQL rather than through the
 * follow-up module: verification must hash alike whether or not that module is loaded (the CLI does
 * not load it), and a revision without commitments has no row.
 */
async function frozenCommitments(
  db: DataSource | EntityManager,
  memorandumId: string,
  numbers: number[],
): Promise<Map<number, RevisionCommitment[]>> {
  if (!numbers.length) return new Map();
  const rows = (await db.query(
    `SELECT revision_number, commitments FROM revision_commitments WHERE memorandum_id = $1 AND revision_number = ANY($2::int[])`,
    [memorandumId, numbers],
  )) as Array<{ revision_number: number; commitments: RevisionCommitment[] }>;
  return new Map(rows.map((r) => [r.revision_number, r.commitments]));
}

/** Each revision's hash column beside the hash of its stored terms (both null for a working revision). */
export async function storedRevisions(
  db: DataSource | EntityManager,
  memorandumId: string,
  rows: MemorandumRevision[],
): Promise<StoredRevision[]> {
  const frozen = rows.filter((r) => r.hash !== null);
  const commitments = await frozenCommitments(
    db,
    memorandumId,
    frozen.map((r) => r.number),
  );
  return rows.map((r) => ({
    number: r.number,
    hash: r.hash,
    recomputedHash:
      r.hash === null ? null : frozenRevisionHash(r, r.parties ?? [], commitments.get(r.number) ?? undefined),
  }));
}

/**
 * Refuses (500 `integrity_failed`, logged as an error) to serve a frozen revision whose stored terms
 * no longer hash to its hash, or whose hash is not the one its history recorded: the text would
 * otherwise be served under a hash that approvals and signatures name but that it no longer has.
 */
export async function assertRevisionsIntact(
  db: DataSource | EntityManager,
  memorandumId: string,
  rows: MemorandumRevision[],
): Promise<void> {
  const frozen = rows.filter((r) => r.hash !== null);
  if (!frozen.length) return;
  const stored = await storedRevisions(db, memorandumId, frozen);
  const recorded = (await db.query(
    `SELECT DISTINCT revision_number, revision_hash FROM history_events
      WHERE memorandum_id = $1 AND revision_hash IS NOT NULL AND revision_number = ANY($2::int[])`,
    [memorandumId, frozen.map((r) => r.number)],
  )) as Array<{ revision_number: number; revision_hash: string }>;
  for (const r of stored) {
    const named = recorded.filter((e) => e.revision_number === r.number).map((e) => e.revision_hash);
    const problem =
      r.recomputedHash !== r.hash
        ? `its stored terms hash to ${r.recomputedHash}, not to its hash ${r.hash}`
        : named.some((h) => h !== r.hash)
          ? `its hash ${r.hash} is not the one its history recorded (${named.join(', ')})`
          : !named.length
            ? 'no history event records its hash'
            : null;
    if (problem) {
      logger.error(`INTEGRITY: memorandum ${memorandumId} revision ${r.number}: ${problem}`);
      throw ApiError.integrityFailed(
        `Revision ${r.number} of memorandum ${memorandumId} no longer matches its recorded hash; it is not served. Run kelisim verify-history.`,
        { memorandumId, revisionNumber: r.number },
      );
    }
  }
}

/** The text fields of the memorandum row that differ from the revision whose text it shows (compared as hashed: NFC). */
export function textCopyDiffers(
  row: { title: string; purpose: string; body: string; language: string; translations: RevisionTranslations | null },
  revision: MemorandumRevision,
): string[] {
  const nfc = (s: string | null | undefined) => (s ?? '').normalize('NFC');
  const translations = (t: RevisionTranslations | null) => canonicalJson(canonicalTranslations(t) ?? null);
  const differs: string[] = [];
  for (const f of ['title', 'purpose', 'body', 'language'] as const)
    if (nfc(row[f]) !== nfc(revision[f])) differs.push(f);
  if (translations(row.translations) !== translations(revision.translations)) differs.push('translations');
  return differs;
}

/**
 * The memorandum's evidence files, each rehashed where its chunks are stored (PostgreSQL's sha256, so
 * the bytes do not travel) and looked up in the `report.filed` event of its report, which recorded the
 * SHA-256 of every file in the chain: a file whose bytes were swapped, or whose row was pointed at
 * other bytes, is found even if it is never downloaded. Read with SQL, as the commitments are above.
 */
export async function evidenceFiles(m: EntityManager, memorandumId: string): Promise<StoredFile[]> {
  const rows = (await m.query(
    `SELECT f.id::text AS id, f.sha256,
            b.sha256 IS NOT NULL AND encode(sha256(coalesce((SELECT string_agg(c.bytes, ''::bytea ORDER BY c.seq)
                                 FROM evidence_blob_chunks c WHERE c.sha256 = f.sha256), ''::bytea)), 'hex') = f.sha256 AS intact,
            EXISTS (SELECT 1 FROM history_events e, jsonb_array_elements(e.data -> 'files') x
                     WHERE e.memorandum_id = r.memorandum_id AND e.action = 'report.filed'
                       AND e.data ->> 'reportId' = f.report_id::text AND x ->> 'sha256' = f.sha256) AS recorded
       FROM evidence_files f JOIN activity_reports r ON r.id = f.report_id
       LEFT JOIN evidence_blobs b ON b.sha256 = f.sha256
      WHERE r.memorandum_id = $1 ORDER BY f.created_at, f.id`,
    [memorandumId],
  )) as StoredFile[];
  return rows;
}
