import { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = ['planned', 'in_progress', 'overdue', 'completed', 'cancelled'];
const COLUMNS = ['commitments', 'occurrences'].flatMap((kind) => STATUSES.map((s) => `${kind}_${s}`));

/**
 * Recomputes both tables from the rows they summarise (the backfill of this migration; the
 * follow-up benchmark runs it after its bulk fill, with the triggers disabled during the fill).
 */
export const DASHBOARD_BACKFILL = [
  `TRUNCATE memorandum_organisations, follow_up_counts, follow_up_totals`,
  `INSERT INTO memorandum_organisations (organisation_id, memorandum_id, refs)
   SELECT organisation_id, memorandum_id, count(*) FROM (
     SELECT coordinating_organisation_id AS organisation_id, id AS memorandum_id FROM memoranda
     UNION ALL SELECT organisation_id, memorandum_id FROM memorandum_parties) x
   GROUP BY organisation_id, memorandum_id`,
  `INSERT INTO follow_up_counts (memorandum_id, organisation_id, ${COLUMNS.join(', ')})
   SELECT memorandum_id, organisation_id, ${COLUMNS.map((c) => `sum(${c})`).join(', ')} FROM (
     SELECT memorandum_id, lead_organisation_id AS organisation_id,
            ${STATUSES.map((s) => `count(*) FILTER (WHERE status = '${s}') AS commitments_${s}`).join(', ')},
            ${STATUSES.map((s) => `0 AS occurrences_${s}`).join(', ')}
       FROM commitments GROUP BY 1, 2
     UNION ALL
     SELECT memorandum_id, organisation_id,
            ${STATUSES.map(() => `0, `).join('')}
            ${STATUSES.map((s) => `count(*) FILTER (WHERE status = '${s}')`).join(', ')}
       FROM commitment_occurrences GROUP BY 1, 2) x
   GROUP BY memorandum_id, organisation_id`,
  `INSERT INTO follow_up_totals (organisation_id, ${COLUMNS.join(', ')})
   SELECT organisation_id, ${COLUMNS.map((c) => `sum(${c})`).join(', ')} FROM follow_up_counts GROUP BY organisation_id`,
];

/** Triggers that keep the tables in the transaction of every write: [table, trigger] (the benchmark disables them while it fills). */
export const DASHBOARD_TRIGGERS: [string, string][] = [
  ['memoranda', 'memoranda_organisations_sync'],
  ['memorandum_parties', 'memorandum_parties_organisations_sync'],
  ...['insert', 'update', 'delete'].map((op): [string, string] => [
    'commitments',
    `commitments_follow_up_counts_${op}`,
  ]),
  ...['insert', 'update', 'delete'].map((op): [string, string] => [
    'commitment_occurrences',
    `commitment_occurrences_follow_up_counts_${op}`,
  ]),
];

/**
 * The dashboards at a million commitments (docs/performance.md):
 * - `memorandum_organisations`: every organisation involved in a memorandum (its coordinator and
 *   every party, `refs` = how many of those roles) as one indexed relation, so "memoranda
 *   involving organisation X" is an index lookup instead of an OR across two tables;
 * - `follow_up_counts`: commitments and occurrences per (memorandum, lead organisation, status),
 *   so the overview's totals are sums over a small table instead of scans of the occurrences;
 *   `follow_up_totals` the same per lead organisation only (2,000 rows for a whole-database view);
 * both kept by triggers in the transaction of every write to memoranda, parties, commitments and
 * occurrences (whatever service writes them), and backfilled here;
 * - `commitment_occurrences_urgency_idx`: the urgent list's order (urgency, date, id), so a page is
 *   read from an index with LIMIT; `commitment_occurrences_memorandum_urgency_idx` the same within
 *   each memorandum (a scoped list takes the first page of each memorandum in scope, then merges);
 * - `commitments_organisation_ids_gin`: "commitments an organisation leads or is responsible for"
 *   (lead OR organisation_ids) as a BitmapOr of two indexes (the organisation calendar feed);
 * - `memoranda_amendment_status_idx` (partial): "in review / signing, or an amendment in review /
 *   signing" (the overview's waiting parties) as a BitmapOr with the status index, not a scan.
 */
export class DashboardScale1795005000000 implements MigrationInterface {
  name = 'DashboardScale1795005000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "memorandum_organisations" ("organisation_id" uuid NOT NULL, "memorandum_id" uuid NOT NULL REFERENCES "memoranda"("id") ON DELETE CASCADE, "refs" integer NOT NULL CHECK ("refs" > 0), CONSTRAINT "memorandum_organisations_pk" PRIMARY KEY ("organisation_id", "memorandum_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "memorandum_organisations_memorandum_idx" ON "memorandum_organisations" ("memorandum_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "follow_up_counts" ("memorandum_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, ${COLUMNS.map((c) => `"${c}" integer NOT NULL DEFAULT 0`).join(', ')}, CONSTRAINT "follow_up_counts_pk" PRIMARY KEY ("memorandum_id", "organisation_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "follow_up_totals" ("organisation_id" uuid NOT NULL, ${COLUMNS.map((c) => `"${c}" integer NOT NULL DEFAULT 0`).join(', ')}, CONSTRAINT "follow_up_totals_pk" PRIMARY KEY ("organisation_id"))`,
    );
    await queryRunner.query(`CREATE FUNCTION kelisim_memorandum_organisation_ref(m uuid, org uuid, d integer)
      RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF d > 0 THEN
          INSERT INTO memorandum_organisations AS x (organisation_id, memorandum_id, refs) VALUES (org, m, d)
            ON CONFLICT (organisation_id, memorandum_id) DO UPDATE SET refs = x.refs + d;
        ELSE
          DELETE FROM memorandum_organisations WHERE organisation_id = org AND memorandum_id = m AND refs <= -d;
          UPDATE memorandum_organisations SET refs = refs + d WHERE organisation_id = org AND memorandum_id = m;
        END IF;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION kelisim_memoranda_organisations_sync() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM kelisim_memorandum_organisation_ref(NEW.id, NEW.coordinating_organisation_id, 1);
        ELSIF NEW.coordinating_organisation_id IS DISTINCT FROM OLD.coordinating_organisation_id THEN
          PERFORM kelisim_memorandum_organisation_ref(OLD.id, OLD.coordinating_organisation_id, -1);
          PERFORM kelisim_memorandum_organisation_ref(NEW.id, NEW.coordinating_organisation_id, 1);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER memoranda_organisations_sync
      AFTER INSERT OR UPDATE OF coordinating_organisation_id ON memoranda
      FOR EACH ROW EXECUTE FUNCTION kelisim_memoranda_organisations_sync()`);
    await queryRunner.query(`CREATE FUNCTION kelisim_memorandum_parties_organisations_sync() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          PERFORM kelisim_memorandum_organisation_ref(OLD.memorandum_id, OLD.organisation_id, -1);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          PERFORM kelisim_memorandum_organisation_ref(NEW.memorandum_id, NEW.organisation_id, 1);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER memorandum_parties_organisations_sync
      AFTER INSERT OR DELETE OR UPDATE OF memorandum_id, organisation_id ON memorandum_parties
      FOR EACH ROW EXECUTE FUNCTION kelisim_memorandum_parties_organisations_sync()`);

    const deltas = COLUMNS.map((c) => {
      const kind = c.split('_')[0];
      return `CASE WHEN kind = '${kind}' AND st = '${c.slice(kind.length + 1)}' THEN d ELSE 0 END`;
    }).join(', ');
    const add = COLUMNS.map((c) => `${c} = f.${c} + EXCLUDED.${c}`).join(', ');
    await queryRunner.query(`CREATE FUNCTION kelisim_follow_up_bump(m uuid, org uuid, kind text, st text, d integer)
      RETURNS void LANGUAGE sql AS $$
      INSERT INTO follow_up_counts AS f (memorandum_id, organisation_id, ${COLUMNS.join(', ')})
      VALUES (m, org, ${deltas})
      ON CONFLICT (memorandum_id, organisation_id) DO UPDATE SET ${add};
      INSERT INTO follow_up_totals AS f (organisation_id, ${COLUMNS.join(', ')})
      VALUES (org, ${deltas})
      ON CONFLICT (organisation_id) DO UPDATE SET ${add};
      $$`);
    for (const [table, trigger, kind, org] of [
      ['commitments', 'commitments_follow_up_counts', 'commitments', 'lead_organisation_id'],
      ['commitment_occurrences', 'commitment_occurrences_follow_up_counts', 'occurrences', 'organisation_id'],
    ]) {
      // Statement-level, over the transition tables: one upsert per (memorandum, organisation,
      // status) a statement changes, however many rows it writes (a row-level trigger would update
      // the same counter row once per row, each update walking the versions before it).
      const delta = (rows: string, sign: number) =>
        `SELECT memorandum_id AS m, ${org} AS org, status AS st, ${sign} AS d FROM ${rows}`;
      const apply = (union: string) => `PERFORM kelisim_follow_up_bump(m, org, '${kind}', st, n::integer)
            FROM (SELECT m, org, st, sum(d) AS n FROM (${union}) x GROUP BY m, org, st
                   HAVING sum(d) <> 0 ORDER BY m, org, st) g;`;
      await queryRunner.query(`CREATE FUNCTION kelisim_${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            ${apply(delta('new_rows', 1))}
          ELSIF TG_OP = 'DELETE' THEN
            ${apply(delta('old_rows', -1))}
          ELSE
            ${apply(`${delta('old_rows', -1)} UNION ALL ${delta('new_rows', 1)}`)}
          END IF;
          RETURN NULL;
        END $$`);
      await queryRunner.query(`CREATE TRIGGER ${trigger}_insert AFTER INSERT ON ${table}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kelisim_${trigger}()`);
      await queryRunner.query(`CREATE TRIGGER ${trigger}_update AFTER UPDATE ON ${table}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kelisim_${trigger}()`);
      await queryRunner.query(`CREATE TRIGGER ${trigger}_delete AFTER DELETE ON ${table}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kelisim_${trigger}()`);
    }
    for (const statement of DASHBOARD_BACKFILL) await queryRunner.query(statement);
    await queryRunner.query(
      `CREATE INDEX "commitment_occurrences_urgency_idx" ON "commitment_occurrences" ((CASE "status" WHEN 'overdue' THEN 0 WHEN 'planned' THEN 1 WHEN 'in_progress' THEN 1 ELSE 2 END), "date", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "commitments_organisation_ids_gin" ON "commitments" USING gin ("organisation_ids")`,
    );
    await queryRunner.query(
      `CREATE INDEX "memoranda_amendment_status_idx" ON "memoranda" ("amendment_status") WHERE "amendment_status" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "commitment_occurrences_memorandum_urgency_idx" ON "commitment_occurrences" ("memorandum_id", (CASE "status" WHEN 'overdue' THEN 0 WHEN 'planned' THEN 1 WHEN 'in_progress' THEN 1 ELSE 2 END), "date", "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."commitment_occurrences_memorandum_urgency_idx"`);
    await queryRunner.query(`DROP INDEX "public"."memoranda_amendment_status_idx"`);
    await queryRunner.query(`DROP INDEX "public"."commitments_organisation_ids_gin"`);
    await queryRunner.query(`DROP INDEX "public"."commitment_occurrences_urgency_idx"`);
    for (const [table, trigger] of DASHBOARD_TRIGGERS) {
      await queryRunner.query(`DROP TRIGGER ${trigger} ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION kelisim_commitments_follow_up_counts()`);
    await queryRunner.query(`DROP FUNCTION kelisim_commitment_occurrences_follow_up_counts()`);
    await queryRunner.query(`DROP FUNCTION kelisim_follow_up_bump(uuid, uuid, text, text, integer)`);
    await queryRunner.query(`DROP FUNCTION kelisim_memorandum_parties_organisations_sync()`);
    await queryRunner.query(`DROP FUNCTION kelisim_memoranda_organisations_sync()`);
    await queryRunner.query(`DROP FUNCTION kelisim_memorandum_organisation_ref(uuid, uuid, integer)`);
    await queryRunner.query(`DROP TABLE "follow_up_totals"`);
    await queryRunner.query(`DROP TABLE "follow_up_counts"`);
    await queryRunner.query(`DROP TABLE "memorandum_organisations"`);
  }
}
