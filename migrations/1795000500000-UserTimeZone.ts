import { MigrationInterface, QueryRunner } from 'typeorm';

/** A user's own time zone for the quiet hours of their e-mail (null: the memorandum's). */
export class UserTimeZone1795000500000 implements MigrationInterface {
  name = 'UserTimeZone1795000500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD "time_zone" character varying(64)
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "time_zone"
        `);
  }
}
