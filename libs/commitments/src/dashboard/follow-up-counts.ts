/**
 * The overview's commitment and occurrence counts from the counter tables (migration
 * 1795005000000), kept by triggers in the transaction of every write to commitments and
 * occurrences: `follow_up_counts` per (memorandum, lead organisation), `follow_up_totals` per lead
 * organisation. A reader who sees everything, unfiltered, reads the 2,000-row totals; anyone else
 * sums the rows of the memoranda in scope — never a scan of the occurrences.
 */
import { DataSource } from 'typeorm';
import { COMMITMENT_STATUSES } from '../vocabulary';

export interface CounterRow {
  organisationId: string;
  [column: string]: number | string;
}

const COLUMNS = ['commitments', 'occurrences'].flatMap((kind) => COMMITMENT_STATUSES.map((s) => `${kind}_${s}`));
const LIST_LIMIT = 50;

/** Counter rows per lead organisation: the totals table, or the per-memorandum rows matching `where` (over `f.memorandum_id`). */
export async function loadCounters(db: DataSource, where: string | null, params: unknown[]): Promise<CounterRow[]> {
  const cols = COLUMNS.map((c) => `"${c}"::int AS "${c}"`).join(', ');
  if (where === null) {
    return db.query(`SELECT organisation_id AS "organisationId", ${cols} FROM follow_up_totals`);
  }
  return db.query(
    `SELECT organisation_id AS "organisationId", ${COLUMNS.map((c) => `sum("${c}")::int AS "${c}"`).join(', ')}
       FROM follow_up_counts f WHERE ${where} GROUP BY organisation_id`,
    params,
  );
}

/** The overview's numbers from counter rows: overdue occurrences, commitments by status, occurrences by lead party. */
export function summarise(rows: CounterRow[]) {
  const sum = (column: string) => rows.reduce((n, r) => n + Number(r[column]), 0);
  const byStatus = [...COMMITMENT_STATUSES]
    .sort()
    .map((status) => ({ status, count: sum(`commitments_${status}`) }))
    .filter((s) => s.count > 0);
  const byParty = rows
    .map((r) => ({
      organisationId: r.organisationId,
      open: Number(r.occurrences_planned) + Number(r.occurrences_in_progress),
      overdue: Number(r.occurrences_overdue),
      completed: Number(r.occurrences_completed),
      any: COMMITMENT_STATUSES.reduce((n, s) => n + Number(r[`occurrences_${s}`]), 0),
    }))
    .filter((p) => p.any > 0)
    .sort(
      (a, b) =>
        b.overdue - a.overdue ||
        b.open - a.open ||
        (a.organisationId < b.organisationId ? -1 : a.organisationId > b.organisationId ? 1 : 0),
    )
    .slice(0, LIST_LIMIT)
    .map(({ any: _any, ...p }) => p);
  return { overdue: sum('occurrences_overdue'), byStatus, byParty };
}
