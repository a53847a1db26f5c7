/**
 * The frame's two statements around a stage (docs/performance.md, "Transitions and reads"): one
 * that locks the memorandum and reads, as one row, what the rules need (its parties, the current
 * revision and the decisions on it, the history head); and one that writes everything the stage
 * queued (the version-checked UPDATE, the stage's rows, the history events and head, the outbox).
 *
 * Reading under the lock in the locking statement: in READ COMMITTED, when the lock had to wait
 * for another writer, the row comes back as that writer left it, but the sub-selects still see
 * the statement's older snapshot. Every writer under this lock bumps the version, so a snapshot
 * version older than the locked row's tells that the rest is stale; then the same statement runs
 * again (the lock is held now, so its new snapshot sees everything committed before it).
 */
import { EntityManager } from 'typeorm';
import { ApiError, preparedQuery, WriteStatement } from '@kelisim/platform';
import { Memorandum, MemorandumParty, MemorandumRevision } from '../entities';
import { entityOf, MEMORANDUM_TIMESTAMPS, PARTY_TIMESTAMPS } from '../memorandum-rows';
import { Decision } from '../vocabulary';
import { currentFrozenRevision, LockedMemorandum, ReviewFacts } from './locked-memorandum';

export interface LockedRow {
  memorandum: Memorandum;
  parties: MemorandumParty[];
  head: { lastSeq: number; lastHash: string } | null;
  current: ReviewFacts['current'];
  decisions: Array<{ organisationId: string; decision: Decision }>;
  signatures: ReviewFacts['signatures'];
}

const LOCK_SQL = `
SELECT to_jsonb(m) AS m,
       (SELECT s.version FROM memoranda s WHERE s.id = m.id) AS snapshot_version,
       (SELECT coalesce(jsonb_agg(to_jsonb(p) ORDER BY p."order", p.organisation_id), '[]')
          FROM memorandum_parties p WHERE p.memorandum_id = m.id) AS parties,
       (SELECT jsonb_build_object('lastSeq', h.last_seq, 'lastHash', h.last_hash)
          FROM history_heads h WHERE h.memorandum_id = m.id) AS head,
       (SELECT jsonb_build_object('number', r.number, 'hash', r.hash, 'kind', r.kind, 'endDate', r.end_date)
          FROM memorandum_revisions r WHERE r.memorandum_id = m.id AND r.number = m.current_revision_number) AS current,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('organisationId', a.organisation_id, 'decision', a.decision)), '[]')
          FROM memorandum_approvals a
         WHERE a.memorandum_id = m.id AND a.revision_number = m.current_revision_number) AS decisions,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('organisationId', g.organisation_id, 'signerKey', g.signer_key)), '[]')
          FROM memorandum_signatures g
         WHERE g.memorandum_id = m.id AND g.revision_number = m.current_revision_number) AS signatures
  FROM memoranda m WHERE m.id = $1 FOR UPDATE OF m`;

/** SELECT … FOR UPDATE of the memorandum with what the rules need; null when there is no such memorandum. */
export async function lockRow(manager: EntityManager, id: string): Promise<LockedRow | null> {
  for (let attempt = 0; ; attempt++) {
    const [row] = (await preparedQuery(manager, LOCK_SQL, [id])) as Array<{
      m: Record<string, unknown>;
      snapshot_version: number | null;
      parties: Array<Record<string, unknown>>;
      head: LockedRow['head'];
      current: LockedRow['current'];
      decisions: LockedRow['decisions'];
      signatures: LockedRow['signatures'];
    }>;
    if (!row) return null;
    const memorandum = entityOf<Memorandum>(row.m, MEMORANDUM_TIMESTAMPS);
    if (row.snapshot_version !== memorandum.version && attempt === 0) continue;
    return {
      memorandum,
      parties: row.parties.map((p) => entityOf<MemorandumParty>(p, PARTY_TIMESTAMPS)),
      head: row.head,
      current: row.current,
      decisions: row.decisions,
      signatures: row.signatures,
    };
  }
}

/** The stage's queued writes, as one statement; a lost version race is a 409, a moved head an error (rollback). */
export async function flushWrites(locked: LockedMemorandum): Promise<void> {
  const p = locked.pending;
  if (!p) return;
  locked.pending = undefined;
  const id = locked.memorandum.id;
  const statement = new WriteStatement();
  if (p.moves) {
    const set = statement.setList('memoranda', p.columns, `version = version + ${statement.param(p.moves)}::int`);
    statement.add(
      'memorandum',
      `UPDATE memoranda SET ${set} WHERE id = ${statement.param(id)}::uuid AND version = ${statement.param(p.version)}::int RETURNING 1`,
    );
  }
  p.rows.forEach((r, i) => statement.insert(`rows_${i}`, r.table, [r.row]));
  const checkHistory = locked.writers.history.appendIn(statement, id, p.head, p.history);
  if (p.events.length) locked.writers.outbox.recordIn(statement, ...p.events);
  if (statement.empty) return;
  const written = await statement.run(locked.manager, { prepared: true });
  if (p.moves && written.memorandum !== 1)
    throw ApiError.conflict('concurrent_update', 'Another request changed this memorandum at the same time; retry');
  checkHistory(written);
}

/** The frozen revision in review or signing: as read with the lock, or read now. */
export async function frozenRevisionFacts(
  locked: LockedMemorandum,
): Promise<{ number: number; hash: string; kind: MemorandumRevision['kind']; endDate: string | null }> {
  const current = locked.review?.current;
  if (current?.hash && current.number === locked.memorandum.currentRevisionNumber)
    return { number: current.number, hash: current.hash, kind: current.kind, endDate: current.endDate };
  const r = await currentFrozenRevision(locked);
  return { number: r.number, hash: r.hash!, kind: r.kind, endDate: r.endDate };
}
