import { MigrationInterface, QueryRunner } from 'typeorm';

/** The translations of a memorandum's working text that may be out of date after its original changed. */
export class StaleTranslations1795009500000 implements MigrationInterface {
  name = 'StaleTranslations1795009500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "memoranda" ADD "stale_translations" character varying(2) array NOT NULL DEFAULT '{}'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "memoranda" DROP COLUMN "stale_translations"`);
  }
}
