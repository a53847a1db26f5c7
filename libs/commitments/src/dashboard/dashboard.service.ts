/**
 * The dashboards of supervisors (their scope) and party representatives (their organisation's
 * memoranda). Every query starts from the visible memoranda (dashboard-scope.ts) and counts through
 * indexed predicates: occurrences by (memorandum, date) and (organisation, status, date),
 * commitments by (memorandum), memoranda by status. Lists are sorted by urgency and paginated.
 */
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '@kelisim/identity';
import { addDays, ApiError, Clock, Environment, zonedDate } from '@kelisim/platform';
import { DashboardQuery, isCommitmentStatus } from './dashboard.dto';
import { maySeeOrganisation, organisationFilter, Sql, visibleMemoranda } from './dashboard-scope';

const DAY_MS = 24 * 3600 * 1000;
const LIST_LIMIT = 50;

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

  /** The memoranda predicate with the query's organisation and state filters. */
  private scoped(sql: Sql, actor: Actor, q: DashboardQuery, withState = true): string {
    const parts = [visibleMemoranda(sql, actor), organisationFilter(sql, q.organisationId)];
    if (withState && q.status && !isCommitmentStatus(q.status)) parts.push(`m.status = ${sql.p(q.status)}`);
    return parts.join(' AND ');
  }

  async overview(actor: Actor, q: DashboardQuery) {
    const today = this.today();
    const until = addDays(today, q.withinDays);
    const waitingSince = new Date(this.clock.now().getTime() - q.withinDays * DAY_MS);

    let sql = new Sql();
    const byState: { state: string; count: number }[] = await this.db.query(
      `SELECT m.status AS state, count(*)::int AS count FROM memoranda m WHERE ${this.scoped(sql, actor, q)}
        GROUP BY m.status ORDER BY m.status`,
      sql.params,
    );

    sql = new Sql();
    const reviews: Record<string, unknown>[] = await this.db.query(
      `SELECT m.id AS "memorandumId", m.title, p.organisation_id AS "organisationId", r.frozen_at AS since
         FROM memoranda m
         JOIN memorandum_revisions r ON r.memorandum_id = m.id AND r.number = m.current_revision_number
         JOIN memorandum_parties p ON p.memorandum_id = m.id AND p.role = 'signatory'
        WHERE (m.status = 'in_review' OR m.amendment_status = 'in_review') AND r.frozen_at < ${sql.p(waitingSince)}
          AND NOT EXISTS (SELECT 1 FROM memorandum_approvals a WHERE a.memorandum_id = m.id
                AND a.revision_number = m.current_revision_number AND a.organisation_id = p.organisation_id
                AND a.decision <> 'comment')
          AND ${this.scoped(sql, actor, q, false)}
        ORDER BY r.frozen_at, m.id, p.order LIMIT ${LIST_LIMIT}`,
      sql.params,
    );

    sql = new Sql();
    const signatures: Record<string, unknown>[] = await this.db.query(
      `SELECT m.id AS "memorandumId", m.title, p.organisation_id AS "organisationId", h.at AS since
         FROM memoranda m
         JOIN LATERAL (SELECT max(e.at) AS at FROM history_events e
                        WHERE e.memorandum_id = m.id AND e.action = 'open_signing') h ON TRUE
         JOIN memorandum_parties p ON p.memorandum_id = m.id AND p.role = 'signatory'
        WHERE (m.status = 'signing' OR m.amendment_status = 'signing') AND h.at < ${sql.p(waitingSince)}
          AND (SELECT count(*) FROM memorandum_signatures s WHERE s.memorandum_id = m.id
                AND s.revision_number = m.current_revision_number AND s.organisation_id = p.organisation_id)
              < p.required_signatures
          AND ${this.scoped(sql, actor, q, false)}
        ORDER BY h.at, m.id, p.order LIMIT ${LIST_LIMIT}`,
      sql.params,
    );

    sql = new Sql();
    const ending: Record<string, unknown>[] = await this.db.query(
      `SELECT m.id AS "memorandumId", m.title, m.end_date::text AS "endDate" FROM memoranda m
        WHERE m.status = 'active' AND m.end_date BETWEEN ${sql.p(today)} AND ${sql.p(until)}
          AND ${this.scoped(sql, actor, q, false)}
        ORDER BY m.end_date, m.id LIMIT ${LIST_LIMIT}`,
      sql.params,
    );

    sql = new Sql();
    const vis = this.scoped(sql, actor, q);
    const [counts]: { overdue: number; dueSoon: number }[] = await this.db.query(
      `SELECT count(*) FILTER (WHERE o.status = 'overdue')::int AS overdue,
              count(*) FILTER (WHERE o.status IN ('planned', 'in_progress')
                                 AND o.date BETWEEN ${sql.p(today)} AND ${sql.p(until)})::int AS "dueSoon"
         FROM memoranda m JOIN commitment_occurrences o ON o.memorandum_id = m.id
        WHERE ${vis} AND (o.status = 'overdue' OR o.date BETWEEN $${sql.params.length - 1} AND $${sql.params.length})`,
      sql.params,
    );

    sql = new Sql();
    const byStatus: { status: string; count: number }[] = await this.db.query(
      `SELECT c.status, count(*)::int AS count FROM memoranda m JOIN commitments c ON c.memorandum_id = m.id
        WHERE ${this.scoped(sql, actor, q)} GROUP BY c.status ORDER BY c.status`,
      sql.params,
    );

    sql = new Sql();
    const byParty: Record<string, unknown>[] = await this.db.query(
      `SELECT o.organisation_id AS "organisationId",
              count(*) FILTER (WHERE o.status IN ('planned', 'in_progress'))::int AS open,
              count(*) FILTER (WHERE o.status = 'overdue')::int AS overdue,
              count(*) FILTER (WHERE o.status = 'completed')::int AS completed
         FROM memoranda m JOIN commitment_occurrences o ON o.memorandum_id = m.id
        WHERE ${this.scoped(sql, actor, q)}
        GROUP BY o.organisation_id ORDER BY overdue DESC, open DESC, o.organisation_id LIMIT ${LIST_LIMIT}`,
      sql.params,
    );

    return {
      today,
      withinDays: q.withinDays,
      memorandaByState: byState,
      reviewsWaiting: reviews,
      signaturesWaiting: signatures,
      endingSoon: ending,
      commitments: { overdue: counts?.overdue ?? 0, dueSoon: counts?.dueSoon ?? 0, byStatus, byParty },
    };
  }

  /** Occurrences in scope, most urgent first: overdue (oldest first), then open by date, then the rest. */
  async commitments(actor: Actor, q: DashboardQuery) {
    const sql = new Sql();
    const where = [this.scoped(sql, actor, q, false)];
    if (q.status && isCommitmentStatus(q.status)) where.push(`o.status = ${sql.p(q.status)}`);
    if (q.from) where.push(`o.date >= ${sql.p(q.from)}`);
    if (q.to) where.push(`o.date <= ${sql.p(q.to)}`);
    if (q.organisationId)
      where.push(
        `(c.lead_organisation_id = ${sql.p(q.organisationId)} OR c.organisation_ids @> ARRAY[$${sql.params.length}]::uuid[])`,
      );
    const from = `FROM commitment_occurrences o JOIN commitments c ON c.id = o.commitment_id JOIN memoranda m ON m.id = o.memorandum_id
      WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total ${from}`, sql.params);
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT o.id AS "occurrenceId", o.commitment_id AS "commitmentId", o.memorandum_id AS "memorandumId",
              m.title AS "memorandumTitle", c.title, o.date::text AS date, o.status, o.overdue_at AS "overdueAt",
              c.lead_organisation_id AS "leadOrganisationId", c.organisation_ids AS "organisationIds"
         ${from}
        ORDER BY CASE o.status WHEN 'overdue' THEN 0 WHEN 'planned' THEN 1 WHEN 'in_progress' THEN 1 ELSE 2 END,
                 o.date, o.id
        LIMIT ${sql.p(q.pageSize)} OFFSET ${sql.p((q.page - 1) * q.pageSize)}`,
      sql.params,
    );
    return { items: rows, total, page: q.page, pageSize: q.pageSize };
  }

  /** A party's scorecard over the commitments it leads, within the dates given. */
  async scorecard(actor: Actor, organisationId: string, q: DashboardQuery) {
    if (!maySeeOrganisation(actor, organisationId)) throw ApiError.notFound('Organisation', organisationId);
    const sql = new Sql();
    const org = sql.p(organisationId);
    const dates = [q.from ? `o.date >= ${sql.p(q.from)}` : 'TRUE', q.to ? `o.date <= ${sql.p(q.to)}` : 'TRUE'].join(
      ' AND ',
    );
    const [row] = await this.db.query(
      `SELECT (SELECT count(*) FROM commitments c WHERE c.lead_organisation_id = ${org})::int AS "commitmentsLed",
              count(*) FILTER (WHERE o.status = 'completed' AND NOT o.late)::int AS "completedOnTime",
              count(*) FILTER (WHERE o.status = 'completed' AND o.late)::int AS "completedLate",
              count(*) FILTER (WHERE o.status = 'overdue')::int AS "openOverdue",
              count(*) FILTER (WHERE o.status IN ('planned', 'in_progress'))::int AS open,
              (SELECT count(*) FROM activity_reports r WHERE r.organisation_id = ${org})::int AS "reportsFiled"
         FROM commitment_occurrences o WHERE o.organisation_id = ${org} AND ${dates}`,
      sql.params,
    );
    const finished = row.completedOnTime + row.completedLate + row.openOverdue;
    return {
      organisationId,
      ...row,
      onTimeRate: finished ? Math.round((row.completedOnTime / finished) * 1000) / 1000 : null,
    };
  }
}
