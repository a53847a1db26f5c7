import { MigrationInterface, QueryRunner } from 'typeorm';

/** Rows of memorandum_totals: a writer adds to the one its connection picks, so concurrent creations rarely wait on each other. */
export const MEMORANDUM_TOTAL_SHARDS = 16;

/**
 * The admin's unfiltered list counted every memorandum on every request (an index-only scan of
 * 10,000 entries, the one read over its 20 ms p95). Now the count is kept beside the table:
 * `memorandum_totals` holds it split over 16 shards, changed by statement-level triggers in the
 * transaction of every INSERT and DELETE on memoranda (whatever writes them, bulk SQL included;
 * COPY fires them too) and reset by TRUNCATE, so the sum is exact and transactional. One row
 * would serialise every creation on it until commit; a shard chosen by the backend's pid keeps
 * concurrent transactions apart (and one transaction always on the same row, so no lock cycles).
 * Seeded under a SHARE lock on memoranda, held to commit, so no write falls between the count and
 * the triggers.
 */
export class MemorandaTotal1795006000000 implements MigrationInterface {
  name = 'MemorandaTotal1795006000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`LOCK TABLE "memoranda" IN SHARE MODE`);
    await queryRunner.query(
      `CREATE TABLE "memorandum_totals" ("shard" smallint NOT NULL CHECK ("shard" >= 0 AND "shard" < ${MEMORANDUM_TOTAL_SHARDS}), "total" bigint NOT NULL, CONSTRAINT "memorandum_totals_pk" PRIMARY KEY ("shard"))`,
    );
    await queryRunner.query(
      `INSERT INTO "memorandum_totals" ("shard", "total")
       SELECT s, CASE WHEN s = 0 THEN (SELECT count(*) FROM "memoranda") ELSE 0 END
         FROM generate_series(0, ${MEMORANDUM_TOTAL_SHARDS - 1}) s`,
    );
    // Statement-level over the transition table: one upsert per statement, however many rows it
    // writes (a bulk fill of 10,000 is one update, not 10,000 of the same row).
    await queryRunner.query(`CREATE FUNCTION kelisim_memorandum_totals_count() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        n bigint;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT count(*) INTO n FROM new_rows;
        ELSE
          SELECT -count(*) INTO n FROM old_rows;
        END IF;
        IF n <> 0 THEN
          INSERT INTO memorandum_totals AS t (shard, total) VALUES (pg_backend_pid() % ${MEMORANDUM_TOTAL_SHARDS}, n)
            ON CONFLICT (shard) DO UPDATE SET total = t.total + EXCLUDED.total;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER memoranda_totals_insert AFTER INSERT ON memoranda
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kelisim_memorandum_totals_count()`);
    await queryRunner.query(`CREATE TRIGGER memoranda_totals_delete AFTER DELETE ON memoranda
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kelisim_memorandum_totals_count()`);
    await queryRunner.query(`CREATE FUNCTION kelisim_memorandum_totals_reset() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE memorandum_totals SET total = 0 WHERE total <> 0;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER memoranda_totals_truncate AFTER TRUNCATE ON memoranda
      FOR EACH STATEMENT EXECUTE FUNCTION kelisim_memorandum_totals_reset()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER memoranda_totals_truncate ON memoranda`);
    await queryRunner.query(`DROP TRIGGER memoranda_totals_delete ON memoranda`);
    await queryRunner.query(`DROP TRIGGER memoranda_totals_insert ON memoranda`);
    await queryRunner.query(`DROP FUNCTION kelisim_memorandum_totals_reset()`);
    await queryRunner.query(`DROP FUNCTION kelisim_memorandum_totals_count()`);
    await queryRunner.query(`DROP TABLE "memorandum_totals"`);
  }
}
