/**
 * A memorandum's timeline: its history events, the reports filed, each occurrence's due date and
 * the date it was done, in one list ordered by time (due dates at the start of their day in the
 * memorandum's time zone). Bounded by one memorandum, so it is assembled in memory and paginated.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '@kelisim/identity';
import { zonedDateTime } from '@kelisim/platform';
import { loadMemorandum } from '../follow-up-context';
import { DashboardQuery } from './dashboard.dto';

export interface TimelineItem {
  at: Date;
  kind: 'history' | 'report' | 'due' | 'done';
  title: string;
  action: string | null;
  commitmentId: string | null;
  reportId: string | null;
  organisationId: string | null;
  date: string | null;
  status: string | null;
}

@Injectable()
export class TimelineService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async timeline(actor: Actor, memorandumId: string, q: DashboardQuery) {
    const ctx = await loadMemorandum(this.db.manager, actor, memorandumId, false);
    const tz = ctx.memorandum.timeZone;
    const [history, reports, occurrences] = await Promise.all([
      this.db.query(
        `SELECT action, at, organisation_id, actor_name FROM history_events WHERE memorandum_id = $1 ORDER BY seq`,
        [memorandumId],
      ) as Promise<{ action: string; at: Date; organisation_id: string | null; actor_name: string | null }[]>,
      this.db.query(
        `SELECT r.id, r.commitment_id, r.organisation_id, r.date::text AS date, r.summary, r.created_at, c.title
           FROM activity_reports r JOIN commitments c ON c.id = r.commitment_id WHERE r.memorandum_id = $1`,
        [memorandumId],
      ) as Promise<Record<string, string & Date>[]>,
      this.db.query(
        `SELECT o.commitment_id, o.date::text AS date, o.status, o.completed_at, c.title, c.lead_organisation_id
           FROM commitment_occurrences o JOIN commitments c ON c.id = o.commitment_id WHERE o.memorandum_id = $1`,
        [memorandumId],
      ) as Promise<Record<string, string & Date>[]>,
    ]);
    const none = { action: null, commitmentId: null, reportId: null, organisationId: null, date: null, status: null };
    const items: TimelineItem[] = [
      ...history.map((h) => ({
        ...none,
        at: new Date(h.at),
        kind: 'history' as const,
        title: h.actor_name ? `${h.action} — ${h.actor_name}` : h.action,
        action: h.action,
        organisationId: h.organisation_id,
      })),
      ...reports.map((r) => ({
        ...none,
        at: new Date(r.created_at),
        kind: 'report' as const,
        title: `${r.title}: ${r.summary.slice(0, 200)}`,
        commitmentId: r.commitment_id,
        reportId: r.id,
        organisationId: r.organisation_id,
        date: r.date,
      })),
      ...occurrences.flatMap((o) => [
        {
          ...none,
          at: zonedDateTime(o.date, 0, 0, tz),
          kind: 'due' as const,
          title: o.title,
          commitmentId: o.commitment_id,
          organisationId: o.lead_organisation_id,
          date: o.date,
          status: o.status,
        },
        ...(o.completed_at
          ? [
              {
                ...none,
                at: new Date(o.completed_at),
                kind: 'done' as const,
                title: o.title,
                commitmentId: o.commitment_id,
                organisationId: o.lead_organisation_id,
                date: o.date,
                status: o.status,
              },
            ]
          : []),
      ]),
    ];
    const from = q.from ? zonedDateTime(q.from, 0, 0, tz).getTime() : -Infinity;
    const to = q.to ? zonedDateTime(q.to, 23, 59, tz).getTime() + 59_999 : Infinity;
    const order = { history: 0, report: 1, done: 2, due: 3 };
    const kept = items
      .filter((i) => i.at.getTime() >= from && i.at.getTime() <= to)
      .filter((i) => !q.organisationId || i.organisationId === q.organisationId)
      .sort((a, b) => a.at.getTime() - b.at.getTime() || order[a.kind] - order[b.kind]);
    const start = (q.page - 1) * q.pageSize;
    return { items: kept.slice(start, start + q.pageSize), total: kept.length, page: q.page, pageSize: q.pageSize };
  }
}
