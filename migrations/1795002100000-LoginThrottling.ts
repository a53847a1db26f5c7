import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed logins are limited per client address (@nestjs/throttler), no longer per account: the
 * per-account counter and lock revealed which e-mails exist and let anyone lock an account out.
 */
export class LoginThrottling1795002100000 implements MigrationInterface {
  name = 'LoginThrottling1795002100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "failed_logins"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "locked_until"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "locked_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "users" ADD "failed_logins" integer NOT NULL DEFAULT '0'`);
  }
}
