import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A termination given for a future date (pending on the memorandum until a `termination` item of
 * the schedule ends it). Generated, except the kind check of scheduled_items: TypeORM compares
 * checks by name only, so the new kind `termination` is added to it by hand.
 */
export class ScheduledTermination1795000700000 implements MigrationInterface {
  name = 'ScheduledTermination1795000700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "memoranda"
            ADD "pending_termination_date" date
        `);
    await queryRunner.query(`
            ALTER TABLE "memoranda"
            ADD "pending_termination_reason" text
        `);
    await queryRunner.query(`
            ALTER TABLE "scheduled_items" DROP CONSTRAINT "scheduled_items_kind_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "scheduled_items"
            ADD CONSTRAINT "scheduled_items_kind_check" CHECK (
                "kind" IN ('approval_reminder', 'signature_reminder', 'escalation', 'term_notice', 'activation', 'expiry', 'termination')
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DELETE FROM "scheduled_items" WHERE "kind" = 'termination'
        `);
    await queryRunner.query(`
            ALTER TABLE "scheduled_items" DROP CONSTRAINT "scheduled_items_kind_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "scheduled_items"
            ADD CONSTRAINT "scheduled_items_kind_check" CHECK (
                "kind" IN ('approval_reminder', 'signature_reminder', 'escalation', 'term_notice', 'activation', 'expiry')
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "memoranda" DROP COLUMN "pending_termination_reason"
        `);
    await queryRunner.query(`
            ALTER TABLE "memoranda" DROP COLUMN "pending_termination_date"
        `);
  }
}
