/**
 * The dashboards of supervisors (their scope) and party representatives (their organisation's
 * memoranda). Every query starts from the visible memoranda (dashboard-scope.ts: a semi-join on
 * `memorandum_organisations`) and reads through indexes or counter tables: occurrences by
 * (memorandum, date), (status, date) and urgency; the overview's totals from `follow_up_counts` /
 * `follow_up_totals` (follow-up-counts.ts); memoranda by status. Lists are sorted by urgency and
 * paginated. Plans and figures: docs/performance.md.
 */
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '@kelisim/identity';
import { addDays, ApiError, Clock, Environment, zonedDate } from '@kelisim/platform';
import { DashboardQuery, isCommitmentStatus } from './dashboard.dto';
import { organisationFilter, organisationVisible, seesEverything, Sql, visibleMemoranda } from './dashboard-scope';
import { loadCounters, summarise } from './follow-up-counts';

const DAY_MS = 24 * 3600 * 1000;
const LIST_LIMIT = 50;
/** The urgent list counts at most this many occurrences (docs/follow-up.md, "Dashboards"). */
export const TOTAL_CAP = 10_000;
/** The urgency of an occurrence: the expression of the index `commitment_occurrences_urgency_idx` (keep them equal). */
const URGENCY = `(CASE o.status WHEN 'overdue' THEN 0 WHEN 'planned' THEN 1 WHEN 'in_progress' THEN 1 ELSE 2 END)`;

/** The urgent list's own filters over occurrences `o`: occurrence status, dates, a responsible party. */
function occurrenceFilters(sql: Sql, q: DashboardQuery): string {
  const where = ['TRUE'];
  if (q.status && isCommitmentStatus(q.status)) where.push(`o.status = ${sql.p(q.status)}`);
  if (q.from) where.push(`o.date >= ${sql.p(q.from)}`);
  if (q.to) where.push(`o.date <= ${sql.p(q.to)}`);
  if (q.organisationId) {
    const org = sql.p(q.organisationId);
    where.push(`EXISTS (SELECT 1 FROM commitments r WHERE r.id = o.commitment_id
      AND (r.lead_organisation_id = ${org} OR r.organisation_ids @> ARRAY[${org}]::uuid[]))`);
  }
  return where.join(' AND ');
}

@Injectable()
export class DashboardService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  private today(): string {
    return zonedDate(this.clock.now(), this.config.get('DEFAULT_TIME_ZONE', { infer: true }));
  }

  /** The memorandum state filter of the overview (`status` naming a memorandum state), if any. */
  private memorandumState(q: DashboardQuery): string | undefined {
    return q.status && !isCommitmentStatus(q.status) ? q.status : undefined;
  }

  /** The memoranda predicate over `m` with the query's organisation and state filters. */
  private scoped(sql: Sql, actor: Actor, q: DashboardQuery, withState = true): string {
    const parts = [visibleMemoranda(sql, actor), organisationFilter(sql, q.organisationId)];
    const state = withState && this.memorandumState(q);
    if (state) parts.push(`m.status = ${sql.p(state)}`);
    return parts.join(' AND ');
  }

  /** The same predicate over a memorandum id column of another table, without joining memoranda. */
  private scopedOn(sql: Sql, actor: Actor, q: DashboardQuery, column: string, withState = true): string {
    const parts = [visibleMemoranda(sql, actor, column), organisationFilter(sql, q.organisationId, column)];
    const state = withState && this.memorandumState(q);
    if (state) parts.push(`${column} IN (SELECT s.id FROM memoranda s WHERE s.status = ${sql.p(state)})`);
    return parts.join(' AND ');
  }

  async overview(actor: Actor, q: DashboardQuery) {
    const today = this.today();
    const until = addDays(today, q.withinDays);
    const waitingSince = new Date(this.clock.now().getTime() - q.withinDays * DAY_MS);

    // Six independent statements, in parallel on the pool's connections.
    const s1 = new Sql();
    const byStateQuery: Promise<{ state: string; count: number }[]> = this.db.query(
      `SELECT m.status AS state, count(*)::int AS count FROM memoranda m WHERE ${this.scoped(s1, actor, q)}
        GROUP BY m.status ORDER BY m.status`,
      s1.params,
    );

    const s2 = new Sql();
    const reviewsQuery: Promise<Record<string, unknown>[]> = this.db.query(
      `SELECT m.id AS "memorandumId", m.title, p.organisation_id AS "organisationId", r.frozen_at AS since
         FROM memoranda m
         JOIN memorandum_revisions r ON r.memorandum_id = m.id AND r.number = m.current_revision_number
         JOIN memorandum_parties p ON p.memorandum_id = m.id AND p.role = 'signatory'
        WHERE (m.status = 'in_review' OR m.amendment_status = 'in_review') AND r.frozen_at < ${s2.p(waitingSince)}
          AND NOT EXISTS (SELECT 1 FROM memorandum_approvals a WHERE a.memorandum_id = m.id
                AND a.revision_number = m.current_revision_number AND a.organisation_id = p.organisation_id
                AND a.decision <> 'comment')
          AND ${this.scoped(s2, actor, q, false)}
        ORDER BY r.frozen_at, m.id, p.order LIMIT ${LIST_LIMIT}`,
      s2.params,
    );

    const s3 = new Sql();
    const signaturesQuery: Promise<Record<string, unknown>[]> = this.db.query(
      `SELECT m.id AS "memorandumId", m.title, p.organisation_id AS "organisationId", h.at AS since
         FROM memoranda m
         JOIN LATERAL (SELECT max(e.at) AS at FROM history_events e
                        WHERE e.memorandum_id = m.id AND e.action = 'open_signing') h ON TRUE
         JOIN memorandum_parties p ON p.memorandum_id = m.id AND p.role = 'signatory'
        WHERE (m.status = 'signing' OR m.amendment_status = 'signing') AND h.at < ${s3.p(waitingSince)}
          AND (SELECT count(*) FROM memorandum_signatures s WHERE s.memorandum_id = m.id
                AND s.revision_number = m.current_revision_number AND s.organisation_id = p.organisation_id)
              < p.required_signatures
          AND ${this.scoped(s3, actor, q, false)}
        ORDER BY h.at, m.id, p.order LIMIT ${LIST_LIMIT}`,
      s3.params,
    );

    const s4 = new Sql();
    const endingQuery: Promise<Record<string, unknown>[]> = this.db.query(
      `SELECT m.id AS "memorandumId", m.title, m.end_date::text AS "endDate" FROM memoranda m
        WHERE m.status = 'active' AND m.end_date BETWEEN ${s4.p(today)} AND ${s4.p(until)}
          AND ${this.scoped(s4, actor, q, false)}
        ORDER BY m.end_date, m.id LIMIT ${LIST_LIMIT}`,
      s4.params,
    );

    const s5 = new Sql();
    const dueSoonQuery: Promise<{ dueSoon: number }[]> = this.db.query(
      `SELECT count(*)::int AS "dueSoon" FROM commitment_occurrences o
        WHERE o.status IN ('planned', 'in_progress') AND o.date BETWEEN ${s5.p(today)} AND ${s5.p(until)}
          AND ${this.scopedOn(s5, actor, q, 'o.memorandum_id')}`,
      s5.params,
    );

    const s6 = new Sql();
    const unfiltered = seesEverything(actor) && !q.organisationId && !this.memorandumState(q);
    const countersQuery = loadCounters(
      this.db,
      unfiltered ? null : this.scopedOn(s6, actor, q, 'f.memorandum_id'),
      s6.params,
    );
    const [byState, reviews, signatures, ending, [{ dueSoon }], counters] = await Promise.all([
      byStateQuery,
      reviewsQuery,
      signaturesQuery,
      endingQuery,
      dueSoonQuery,
      countersQuery,
    ]);
    const { overdue, byStatus, byParty } = summarise(counters);

    return {
      today,
      withinDays: q.withinDays,
      memorandaByState: byState,
      reviewsWaiting: reviews,
      signaturesWaiting: signatures,
      endingSoon: ending,
      commitments: { overdue, dueSoon, byStatus, byParty },
    };
  }

  /**
   * Occurrences in scope, most urgent first: overdue (oldest first), then open by date, then the
   * rest. The page is chosen from the occurrences alone (the order is the index
   * `commitment_occurrences_urgency_idx`), then joined to its commitments and memoranda; `total`
   * counts at most TOTAL_CAP matching occurrences (`totalExact: false` beyond).
   */
  async commitments(actor: Actor, q: DashboardQuery) {
    let sql = new Sql();
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total FROM (
         SELECT 1 FROM commitment_occurrences o
          WHERE ${this.scopedOn(sql, actor, q, 'o.memorandum_id', false)} AND ${occurrenceFilters(sql, q)}
          LIMIT ${TOTAL_CAP + 1}) capped`,
      sql.params,
    );
    sql = new Sql();
    const order = `${URGENCY}, o.date, o.id`;
    // Everything: the page straight from the urgency index. A scope: the most urgent (offset + size)
    // of each memorandum in it, from the (memorandum, urgency) index, then merged — so a memorandum
    // with 100,000 occurrences costs one page, not a sort of all of them.
    const page =
      seesEverything(actor) && !q.organisationId
        ? `SELECT o.* FROM commitment_occurrences o WHERE ${occurrenceFilters(sql, q)}
            ORDER BY ${order} LIMIT ${sql.p(q.pageSize)} OFFSET ${sql.p((q.page - 1) * q.pageSize)}`
        : `SELECT o.* FROM (SELECT v.id FROM memoranda v WHERE ${this.scopedOn(sql, actor, q, 'v.id', false)}) v
             CROSS JOIN LATERAL (SELECT o.* FROM commitment_occurrences o
                                  WHERE o.memorandum_id = v.id AND ${occurrenceFilters(sql, q)}
                                  ORDER BY ${order} LIMIT ${sql.p(q.page * q.pageSize)}) o
            ORDER BY ${order} LIMIT ${sql.p(q.pageSize)} OFFSET ${sql.p((q.page - 1) * q.pageSize)}`;
    const rows: Record<string, unknown>[] = await this.db.query(
      `WITH page AS (${page})
       SELECT o.id AS "occurrenceId", o.commitment_id AS "commitmentId", o.memorandum_id AS "memorandumId",
              m.title AS "memorandumTitle", c.title, o.date::text AS date, o.status, o.overdue_at AS "overdueAt",
              c.lead_organisation_id AS "leadOrganisationId", c.organisation_ids AS "organisationIds"
         FROM page o JOIN commitments c ON c.id = o.commitment_id JOIN memoranda m ON m.id = o.memorandum_id
        ORDER BY ${order}`,
      sql.params,
    );
    return {
      items: rows,
      total: Math.min(total, TOTAL_CAP),
      totalExact: total <= TOTAL_CAP,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /**
   * Completed on time, completed late and overdue occurrences by the quarter of their due date,
   * oldest quarter first, over the visible memoranda (the query's memorandum state and
   * organisation filters apply as in the overview; `from`/`to` bound the due dates). Only
   * quarters with at least one such occurrence are listed.
   */
  async trend(actor: Actor, q: DashboardQuery) {
    const sql = new Sql();
    const where = [this.scopedOn(sql, actor, q, 'o.memorandum_id'), `o.status IN ('completed', 'overdue')`];
    if (q.from) where.push(`o.date >= ${sql.p(q.from)}`);
    if (q.to) where.push(`o.date <= ${sql.p(q.to)}`);
    const rows: { quarter: string; onTime: number; late: number; overdue: number }[] = await this.db.query(
      `SELECT to_char(date_trunc('quarter', o.date), 'YYYY-"Q"Q') AS quarter,
              count(*) FILTER (WHERE o.status = 'completed' AND NOT o.late)::int AS "onTime",
              count(*) FILTER (WHERE o.status = 'completed' AND o.late)::int AS late,
              count(*) FILTER (WHERE o.status = 'overdue')::int AS overdue
         FROM commitment_occurrences o
        WHERE ${where.join(' AND ')}
        GROUP BY 1 ORDER BY 1`,
      sql.params,
    );
    return { quarters: rows };
  }

  /**
   * A party's scorecard over the commitments it leads, within the dates given, counted over the
   * memoranda the reader sees: readable for the reader's own organisation, the organisations of
   * their scopes, and every party or coordinator of a memorandum they see; 404 otherwise.
   */
  async scorecard(actor: Actor, organisationId: string, q: DashboardQuery) {
    const sql = new Sql();
    const org = sql.p(organisationId);
    const dates = [q.from ? `o.date >= ${sql.p(q.from)}` : 'TRUE', q.to ? `o.date <= ${sql.p(q.to)}` : 'TRUE'].join(
      ' AND ',
    );
    const visible = (column: string) => visibleMemoranda(sql, actor, column);
    const [{ visible: readable, ...row }] = await this.db.query(
      `SELECT ${organisationVisible(sql, actor, org)} AS visible,
              (SELECT count(*) FROM commitments c
                WHERE c.lead_organisation_id = ${org} AND ${visible('c.memorandum_id')})::int AS "commitmentsLed",
              count(*) FILTER (WHERE o.status = 'completed' AND NOT o.late)::int AS "completedOnTime",
              count(*) FILTER (WHERE o.status = 'completed' AND o.late)::int AS "completedLate",
              count(*) FILTER (WHERE o.status = 'overdue')::int AS "openOverdue",
              count(*) FILTER (WHERE o.status IN ('planned', 'in_progress'))::int AS open,
              (SELECT count(*) FROM activity_reports r
                WHERE r.organisation_id = ${org} AND ${visible('r.memorandum_id')})::int AS "reportsFiled"
         FROM commitment_occurrences o WHERE o.organisation_id = ${org} AND ${dates} AND ${visible('o.memorandum_id')}`,
      sql.params,
    );
    if (!readable) throw ApiError.notFound('Organisation', organisationId);
    const finished = row.completedOnTime + row.completedLate + row.openOverdue;
    return {
      organisationId,
      ...row,
      onTimeRate: finished ? Math.round((row.completedOnTime / finished) * 1000) / 1000 : null,
    };
  }
}
