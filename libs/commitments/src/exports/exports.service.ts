/**
 * Exports of follow-up: commitments and occurrences as CSV (UTF-8 with BOM, so spreadsheet programs
 * read Kazakh and Russian letters; csvStringifier, whose text cells cannot run as formulas) and XLSX (exceljs' streaming writer), both
 * written row batch by row batch (keyset over commitment and date) so memory stays flat; and
 * iCalendar feeds of the due dates, with alarms 7 days and 1 day before, streamed in batches of
 * events (ics-writer.ts).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type ExcelJSModule from 'exceljs';
import { DataSource } from 'typeorm';
import { Actor } from '@kelisim/identity';
import { addDays, ApiError, Clock, csvStringifier, zonedDate } from '@kelisim/platform';
import { organisationVisible, Sql, visibleMemoranda } from '../dashboard/dashboard-scope';
import { loadMemorandum } from '../follow-up-context';
import { drained } from './back-pressure';
import { CalendarRow, writeCalendar } from './ics-writer';

const BATCH = 2000;

/**
 * exceljs took about 0.6 s to load on the shared 2-core development machine, for one route that is
 * rarely asked for: loaded with the first XLSX export, not at start-up (nor in the worker, which never
 * writes one).
 */
let excel: Promise<typeof ExcelJSModule> | undefined;
const loadExcelJS = () => (excel ??= import('exceljs').then((m) => m.default));

export const EXPORT_COLUMNS = [
  'commitmentId',
  'title',
  'clauseRef',
  'origin',
  'leadParty',
  'otherParties',
  'target',
  'commitmentStatus',
  'date',
  'status',
  'completedAt',
  'late',
  'reports',
] as const;

type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string | number | boolean | null>;

@Injectable()
export class ExportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The memorandum (404 when not visible) and its file name stem. */
  async prepare(actor: Actor, memorandumId: string): Promise<{ title: string; timeZone: string }> {
    const ctx = await loadMemorandum(this.db.manager, actor, memorandumId, false);
    return { title: ctx.memorandum.title, timeZone: ctx.memorandum.timeZone };
  }

  /** Rows in batches: one per occurrence, and one for a commitment that has none. */
  async *rows(memorandumId: string): AsyncGenerator<ExportRow[]> {
    let after: [string, string] = ['00000000-0000-0000-0000-000000000000', '0001-01-01'];
    for (;;) {
      const batch: (ExportRow & { key: string })[] = await this.db.query(
        `SELECT c.id AS "commitmentId", c.title, c.clause_ref AS "clauseRef", c.origin,
                lo.short_name AS "leadParty",
                (SELECT string_agg(x.short_name, '; ' ORDER BY x.short_name) FROM organisations x
                  WHERE x.id = ANY(c.organisation_ids)) AS "otherParties",
                CASE WHEN c.target_quantity IS NULL THEN NULL ELSE c.target_quantity || ' ' || c.target_unit END AS target,
                c.status AS "commitmentStatus", o.date::text AS date, coalesce(o.status, c.status) AS status,
                o.completed_at AS "completedAt", coalesce(o.late, false) AS late,
                (SELECT count(*) FROM activity_reports r WHERE r.commitment_id = c.id
                   AND r.occurrence_date IS NOT DISTINCT FROM o.date)::int AS reports,
                coalesce(o.date, '0001-01-01'::date)::text AS key
           FROM commitments c
           JOIN organisations lo ON lo.id = c.lead_organisation_id
           LEFT JOIN commitment_occurrences o ON o.commitment_id = c.id
          WHERE c.memorandum_id = $1 AND (c.id, coalesce(o.date, '0001-01-01'::date)) > ($2::uuid, $3::date)
          ORDER BY c.id, coalesce(o.date, '0001-01-01'::date)
          LIMIT ${BATCH}`,
        [memorandumId, after[0], after[1]],
      );
      if (!batch.length) return;
      const last = batch[batch.length - 1];
      after = [String(last.commitmentId), last.key];
      yield batch.map(({ key: _k, ...r }) => ({
        ...r,
        completedAt: r.completedAt ? new Date(String(r.completedAt)).toISOString() : null,
      }));
      if (batch.length < BATCH) return;
    }
  }

  async csv(memorandumId: string, out: Writable): Promise<void> {
    const csv = csvStringifier({
      header: true,
      bom: true,
      columns: [...EXPORT_COLUMNS],
      cast: { boolean: (b) => (b ? 'yes' : 'no') },
    });
    csv.pipe(out);
    for await (const batch of this.rows(memorandumId)) {
      for (const row of batch) {
        if (!csv.write(row) && !(await drained(csv, out))) {
          csv.destroy(); // the reader went away
          return;
        }
      }
    }
    csv.end();
    await once(out, 'finish');
  }

  async xlsx(memorandumId: string, title: string, out: Writable): Promise<void> {
    const ExcelJS = await loadExcelJS();
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    book.creator = 'Kelisim';
    const sheet = book.addWorksheet('Commitments');
    sheet.addRow([title]).commit();
    sheet.addRow([...EXPORT_COLUMNS]).commit();
    for await (const batch of this.rows(memorandumId)) {
      for (const row of batch) sheet.addRow(EXPORT_COLUMNS.map((k) => row[k])).commit();
      // exceljs writes on without asking: wait here while the response's buffer is full.
      if (out.writableNeedDrain && !(await drained(out))) return;
    }
    sheet.commit();
    await book.commit();
  }

  /** A memorandum's due dates, as a calendar to stream (`writeCalendar`). */
  async memorandumCalendar(actor: Actor, memorandumId: string): Promise<Calendar> {
    const { title } = await this.prepare(actor, memorandumId);
    const rows = await this.db.query(CALENDAR_SQL('o.memorandum_id = $1'), [memorandumId]);
    return calendar(`Kelisim — ${title}`, rows);
  }

  /** An organisation's feed: due dates of the memoranda it is party to, visible to the token's user; a year back, two ahead. */
  async organisationCalendar(actor: Actor, organisationId: string): Promise<Calendar> {
    const today = zonedDate(this.clock.now(), 'Asia/Almaty');
    const check = new Sql();
    const id = check.p(organisationId);
    const [{ readable }] = await this.db.query(
      `SELECT ${id}::uuid AS id, ${organisationVisible(check, actor, id)} AS readable`,
      check.params,
    );
    if (!readable) throw ApiError.notFound('Organisation', organisationId);
    const sql = new Sql();
    const org = sql.p(organisationId);
    const where = `(c.lead_organisation_id = ${org} OR c.organisation_ids @> ARRAY[${org}]::uuid[])
      AND o.date BETWEEN ${sql.p(addDays(today, -365))} AND ${sql.p(addDays(today, 730))}
      AND ${visibleMemoranda(sql, actor)}`;
    const rows = await this.db.query(CALENDAR_SQL(where), sql.params);
    return calendar('Kelisim', rows);
  }

  /**
   * The organisations whose calendar feed the actor may open (the same check as
   * `organisationCalendar`): active ones, by short name. The exports page offers only these.
   */
  async feedOrganisations(actor: Actor): Promise<{ items: { id: string; name: string; shortName: string }[] }> {
    const sql = new Sql();
    const items = await this.db.query(
      `SELECT o.id, o.name, o.short_name AS "shortName" FROM organisations o
        WHERE o.active AND ${organisationVisible(sql, actor, 'o.id')}
        ORDER BY o.short_name, o.id`,
      sql.params,
    );
    return { items };
  }

  /** The calendar as iCalendar text to `out` (then ended), in batches of events with back-pressure. */
  writeCalendar(out: Writable, cal: Calendar): Promise<void> {
    return writeCalendar(out, cal.name, cal.rows, this.clock.now());
  }
}

/** A calendar's name and events, and a weak ETag of what it shows (DTSTAMP, the time of rendering, aside). */
export interface Calendar {
  name: string;
  rows: CalendarRow[];
  etag: string;
}

function calendar(name: string, rows: CalendarRow[]): Calendar {
  const hash = createHash('sha1').update(name);
  for (const r of rows)
    hash.update(`\n${r.occurrenceId}\t${r.date}\t${r.status}\t${r.title}\t${r.clauseRef ?? ''}\t${r.memorandumTitle}`);
  return { name, rows, etag: `W/"${hash.digest('base64url')}"` };
}

const CALENDAR_SQL = (where: string) =>
  `SELECT o.id AS "occurrenceId", o.date::text AS date, o.status, c.title, c.clause_ref AS "clauseRef",
          m.title AS "memorandumTitle"
     FROM commitment_occurrences o
     JOIN commitments c ON c.id = o.commitment_id
     JOIN memoranda m ON m.id = o.memorandum_id
    WHERE ${where} AND m.status IN ('executed', 'active')
    ORDER BY o.date, o.id LIMIT 20000`;
