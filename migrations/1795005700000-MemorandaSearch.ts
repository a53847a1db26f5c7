import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /memoranda?q= finds the text anywhere in the title or the purpose (ILIKE '%q%'): without an
 * index that is a scan of every memorandum. Trigram GIN indexes (pg_trgm, shipped with PostgreSQL
 * and the embedded server, a trusted extension: the database's owner may create it) answer it as a
 * BitmapOr of the two, for any alphabet (Cyrillic, Kazakh letters) and case-insensitively.
 */
export class MemorandaSearch1795005700000 implements MigrationInterface {
  name = 'MemorandaSearch1795005700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE INDEX "memoranda_title_trgm_idx" ON "memoranda" USING gin ("title" gin_trgm_ops)`);
    await queryRunner.query(
      `CREATE INDEX "memoranda_purpose_trgm_idx" ON "memoranda" USING gin ("purpose" gin_trgm_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "memoranda_purpose_trgm_idx"`);
    await queryRunner.query(`DROP INDEX "memoranda_title_trgm_idx"`);
  }
}
