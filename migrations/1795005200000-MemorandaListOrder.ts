import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /memoranda lists newest first (created_at DESC, id ASC): with this index the page is read
 * backwards in order (ties on created_at sorted incrementally) and stops at the LIMIT instead of
 * sorting every memorandum the reader may see.
 */
export class MemorandaListOrder1795005200000 implements MigrationInterface {
  name = 'MemorandaListOrder1795005200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "memoranda_created_at_idx" ON "memoranda" ("created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "memoranda_created_at_idx"`);
  }
}
