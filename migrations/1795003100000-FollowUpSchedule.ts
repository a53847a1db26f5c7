import { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_KINDS = `'approval_reminder', 'signature_reminder', 'escalation', 'term_notice', 'activation', 'expiry', 'termination'`;
const NEW_KINDS = `${OLD_KINDS}, 'commitment_due', 'commitment_overdue', 'commitment_overdue_reminder', 'commitment_escalation'`;

/**
 * Follow-up on the schedule: the commitment item kinds and policy kinds (written by hand: TypeORM
 * does not compare CHECK constraints), and supervision scopes (libs/identity).
 */
export class FollowUpSchedule1795003100000 implements MigrationInterface {
  name = 'FollowUpSchedule1795003100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "scheduled_items" DROP CONSTRAINT "scheduled_items_kind_check"`);
    await queryRunner.query(
      `ALTER TABLE "scheduled_items" ADD CONSTRAINT "scheduled_items_kind_check" CHECK ("kind" IN (${NEW_KINDS}))`,
    );
    await queryRunner.query(`ALTER TABLE "reminder_policies" DROP CONSTRAINT "reminder_policies_kind_check"`);
    await queryRunner.query(
      `ALTER TABLE "reminder_policies" ADD CONSTRAINT "reminder_policies_kind_check" CHECK ("kind" IN ('review', 'signing', 'term_end', 'commitment_due', 'commitment_overdue'))`,
    );
    await queryRunner.query(
      `CREATE TABLE "supervision_scopes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "supervisor_user_id" uuid NOT NULL, "organisation_id" uuid, "memorandum_id" uuid, "created_by_user_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "supervision_scopes_target_check" CHECK (("organisation_id" IS NULL) <> ("memorandum_id" IS NULL)), CONSTRAINT "PK_c731df83184f1c4a734927f3130" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "supervision_scopes_memorandum_idx" ON "supervision_scopes"  ("memorandum_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "supervision_scopes_organisation_idx" ON "supervision_scopes"  ("organisation_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "supervision_scopes_memorandum_unique" ON "supervision_scopes"  ("supervisor_user_id", "memorandum_id") WHERE "memorandum_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "supervision_scopes_organisation_unique" ON "supervision_scopes"  ("supervisor_user_id", "organisation_id") WHERE "organisation_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "supervision_scopes" ADD CONSTRAINT "FK_c0cdd9cb14b8be4592fbf061a35" FOREIGN KEY ("supervisor_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "supervision_scopes" ADD CONSTRAINT "FK_06c1240746754d6632322b3d905" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "supervision_scopes" DROP CONSTRAINT "FK_06c1240746754d6632322b3d905"`);
    await queryRunner.query(`ALTER TABLE "supervision_scopes" DROP CONSTRAINT "FK_c0cdd9cb14b8be4592fbf061a35"`);
    await queryRunner.query(`DROP INDEX "public"."supervision_scopes_organisation_unique"`);
    await queryRunner.query(`DROP INDEX "public"."supervision_scopes_memorandum_unique"`);
    await queryRunner.query(`DROP INDEX "public"."supervision_scopes_organisation_idx"`);
    await queryRunner.query(`DROP INDEX "public"."supervision_scopes_memorandum_idx"`);
    await queryRunner.query(`DROP TABLE "supervision_scopes"`);
    await queryRunner.query(`DELETE FROM "reminder_policies" WHERE "kind" LIKE 'commitment_%'`);
    await queryRunner.query(`ALTER TABLE "reminder_policies" DROP CONSTRAINT "reminder_policies_kind_check"`);
    await queryRunner.query(
      `ALTER TABLE "reminder_policies" ADD CONSTRAINT "reminder_policies_kind_check" CHECK ("kind" IN ('review', 'signing', 'term_end'))`,
    );
    await queryRunner.query(`DELETE FROM "scheduled_items" WHERE "kind" LIKE 'commitment_%'`);
    await queryRunner.query(`ALTER TABLE "scheduled_items" DROP CONSTRAINT "scheduled_items_kind_check"`);
    await queryRunner.query(
      `ALTER TABLE "scheduled_items" ADD CONSTRAINT "scheduled_items_kind_check" CHECK ("kind" IN (${OLD_KINDS}))`,
    );
  }
}
