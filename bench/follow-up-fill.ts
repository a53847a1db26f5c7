/**
 * The bulk fill of the follow-up benchmark (bench/follow-up.bench.ts): set-based INSERT … SELECT
 * over generate_series into the real (logged) tables. While it fills, the secondary indexes and
 * foreign keys of commitments and occurrences are dropped and the dashboard triggers disabled;
 * afterwards the indexes and keys are created again (the keys validated), the relation and
 * counter tables are computed by the migration's own backfill (DASHBOARD_BACKFILL), and the
 * database is VACUUM ANALYZEd (as autovacuum would).
 *
 * Shape: `orgs` organisations; `memoranda` active memoranda (term 2025-01-01 … 2028-01-01), each
 * coordinated by one organisation and with 3 signatory parties; `per` commitments each (lead one
 * of the parties, responsible another), `occ` occurrences each (before 2026-11-27 overdue or
 * completed, after it planned); plus one **large** memorandum of 200 commitments × 500
 * occurrences = 100,000 occurrences (the export measured) and a medium one of 20 × 500 = 10,000.
 */
import { Client } from 'pg';
import { DASHBOARD_BACKFILL, DASHBOARD_TRIGGERS } from '../migrations/1795005000000-DashboardScale';

const BULK_TABLES = ['commitments', 'commitment_occurrences'];

export const LARGE_TITLE = 'Меморандум о сотрудничестве (большой план)';
export const MEDIUM_TITLE = 'Меморандум о сотрудничестве (средний план)';

export async function fill(db: Client, orgs: number, memoranda: number, per: number, occ: number): Promise<void> {
  await db.query(`SET synchronous_commit = off`);
  await db.query(`SET maintenance_work_mem = '256MB'`);
  // What is dropped while filling, to be recreated afterwards exactly as the migrations made it.
  const { rows: fks } = await db.query(
    `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE contype = 'f' AND (conrelid::regclass::text = ANY($1) OR confrelid::regclass::text = ANY($1))`,
    [BULK_TABLES],
  );
  const { rows: indexes } = await db.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
      WHERE i.indrelid::regclass::text = ANY($1) AND NOT i.indisprimary`,
    [BULK_TABLES],
  );
  for (const fk of fks) await db.query(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT "${fk.conname}"`);
  for (const ix of indexes) await db.query(`DROP INDEX ${ix.name}`);
  for (const [table, trigger] of DASHBOARD_TRIGGERS) await db.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);

  await db.query(
    `INSERT INTO organisations (name, short_name, kind, language)
     SELECT 'Ұйым ' || i, 'Ұйым ' || i, 'ngo', 'kk' FROM generate_series(1, $1) i`,
    [orgs],
  );
  await db.query(`CREATE TEMP TABLE o AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM organisations`);
  await db.query(`CREATE UNIQUE INDEX ON o (n)`);
  await db.query(
    `INSERT INTO memoranda (title, purpose, body, language, coordinating_organisation_id, status, effective_date,
                            end_date, created_at, updated_at)
     SELECT 'Меморандум ' || i, 'p', 'b', 'ru', o.id, 'active', date '2025-01-01', date '2028-01-01', now(), now()
       FROM generate_series(1, $1) i JOIN o ON o.n = 1 + (i % $2)`,
    [memoranda, orgs],
  );
  await db.query(`CREATE TEMP TABLE mm AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM memoranda`);
  await db.query(`CREATE UNIQUE INDEX ON mm (n)`);
  await db.query(
    `INSERT INTO memorandum_parties (memorandum_id, organisation_id, role, "order", signatory_user_ids, created_at)
     SELECT mm.id, o.id, 'signatory', k, '{}', now()
       FROM mm CROSS JOIN generate_series(1, 3) k JOIN o ON o.n = 1 + ((mm.n * 7 + k * 13) % $1)`,
    [orgs],
  );
  // Lead: party (k % 3 + 1); also responsible: the next party.
  await db.query(
    `INSERT INTO commitments (memorandum_id, origin, title, lead_organisation_id, organisation_ids, due_date, status,
                              created_at, updated_at)
     SELECT mm.id, 'plan', 'Совместное мероприятие ' || k, lead.id, ARRAY[other.id], null,
            (ARRAY['planned','in_progress','overdue','completed'])[1 + (mm.n + k) % 4], now(), now()
       FROM mm CROSS JOIN generate_series(1, $2) k
       JOIN o lead ON lead.n = 1 + ((mm.n * 7 + (k % 3 + 1) * 13) % $1)
       JOIN o other ON other.n = 1 + ((mm.n * 7 + ((k + 1) % 3 + 1) * 13) % $1)`,
    [orgs, per],
  );
  await db.query(
    `INSERT INTO commitment_occurrences (commitment_id, memorandum_id, organisation_id, date, overdue_at, status, late)
     SELECT c.id, c.memorandum_id, c.lead_organisation_id, d, d + 1,
            CASE WHEN d < date '2026-11-27' THEN (CASE WHEN c.status = 'completed' THEN 'completed' ELSE 'overdue' END)
                 ELSE 'planned' END, false
       FROM commitments c CROSS JOIN LATERAL (
         SELECT (date '2025-01-01' + ((abs(hashtext(c.id::text)) % 1000) + j * 90))::date AS d
           FROM generate_series(1, $1) j) x`,
    [occ],
  );
  // The large memorandum: coordinated by the last organisation, parties the last three (none of them
  // a reader of the main measurements), 200 commitments × 500 dates; and a medium one (the three
  // organisations before them), 20 × 500 = 10,000 dates: the exports measured at two sizes.
  await planned(db, LARGE_TITLE, orgs, 200);
  await planned(db, MEDIUM_TITLE, orgs - 3, 20);

  for (const ix of indexes) await db.query(ix.def);
  for (const fk of fks) await db.query(`ALTER TABLE ${fk.tbl} ADD CONSTRAINT "${fk.conname}" ${fk.def}`);
  for (const statement of DASHBOARD_BACKFILL) await db.query(statement);
  for (const [table, trigger] of DASHBOARD_TRIGGERS) await db.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
  await db.query('VACUUM ANALYZE');
}

/** A memorandum coordinated by organisation n = `last`, parties n = last-2 … last, `commitments` × 500 dates. */
async function planned(db: Client, title: string, last: number, commitments: number): Promise<void> {
  await db.query(
    `WITH m AS (
       INSERT INTO memoranda (title, purpose, body, language, coordinating_organisation_id, status, effective_date,
                              end_date, created_at, updated_at)
       SELECT $1, 'p', 'b', 'ru', id, 'active', date '2025-01-01', date '2028-01-01', now(), now() FROM o WHERE n = $2
       RETURNING id),
     p AS (
       INSERT INTO memorandum_parties (memorandum_id, organisation_id, role, "order", signatory_user_ids, created_at)
       SELECT m.id, o.id, 'signatory', $2 + 1 - o.n, '{}', now() FROM m, o WHERE o.n > $2 - 3 AND o.n <= $2
       RETURNING memorandum_id),
     c AS (
       INSERT INTO commitments (memorandum_id, origin, title, lead_organisation_id, organisation_ids, due_date, status,
                                created_at, updated_at)
       SELECT m.id, 'plan', 'Бірлік пен келісім күні ' || k, o.id, '{}', null, 'in_progress', now(), now()
         FROM m CROSS JOIN generate_series(1, $3) k JOIN o ON o.n = $2 - k % 3
       RETURNING id, memorandum_id, lead_organisation_id)
     INSERT INTO commitment_occurrences (commitment_id, memorandum_id, organisation_id, date, overdue_at, status, late)
     SELECT c.id, c.memorandum_id, c.lead_organisation_id, date '2025-01-01' + j, date '2025-01-01' + j + 1,
            CASE WHEN date '2025-01-01' + j < date '2026-11-27' THEN 'completed' ELSE 'planned' END, false
       FROM c CROSS JOIN generate_series(0, 499) j`,
    [title, last, commitments],
  );
}
