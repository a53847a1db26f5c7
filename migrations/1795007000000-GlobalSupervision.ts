import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supervision scopes deny by default: a supervisor sees the memoranda of their scopes, and one
 * without any scope sees nothing (only what any member of their organisation sees). National
 * supervisors get an explicit `global` scope. Every supervisor who has no scope when this runs
 * saw everything until now, so each gets the global scope here and running installations keep
 * their behaviour; supervisors created from now on start with nothing until an admin gives them
 * a scope.
 */
export class GlobalSupervision1795007000000 implements MigrationInterface {
  name = 'GlobalSupervision1795007000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "supervision_scopes" ADD "kind" character varying(16)`);
    await queryRunner.query(
      `UPDATE "supervision_scopes" SET "kind" = CASE WHEN "organisation_id" IS NOT NULL THEN 'organisation' ELSE 'memorandum' END`,
    );
    await queryRunner.query(`ALTER TABLE "supervision_scopes" ALTER COLUMN "kind" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "supervision_scopes" DROP CONSTRAINT "supervision_scopes_target_check"`);
    await queryRunner.query(
      `ALTER TABLE "supervision_scopes" ADD CONSTRAINT "supervision_scopes_target_check" CHECK (("kind" = 'global' AND "organisation_id" IS NULL AND "memorandum_id" IS NULL)
   OR ("kind" = 'organisation' AND "organisation_id" IS NOT NULL AND "memorandum_id" IS NULL)
   OR ("kind" = 'memorandum' AND "memorandum_id" IS NOT NULL AND "organisation_id" IS NULL))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "supervision_scopes_global_unique" ON "supervision_scopes" ("supervisor_user_id") WHERE "kind" = 'global'`,
    );
    // Inactive supervisors too: reactivated, they come back with what they had.
    await queryRunner.query(
      `INSERT INTO "supervision_scopes" ("supervisor_user_id", "kind", "created_at")
       SELECT u."id", 'global', now() FROM "users" u
        WHERE 'supervisor' = ANY (u."roles")
          AND NOT EXISTS (SELECT 1 FROM "supervision_scopes" s WHERE s."supervisor_user_id" = u."id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "supervision_scopes" WHERE "kind" = 'global'`);
    await queryRunner.query(`DROP INDEX "public"."supervision_scopes_global_unique"`);
    await queryRunner.query(`ALTER TABLE "supervision_scopes" DROP CONSTRAINT "supervision_scopes_target_check"`);
    await queryRunner.query(
      `ALTER TABLE "supervision_scopes" ADD CONSTRAINT "supervision_scopes_target_check" CHECK (("organisation_id" IS NULL) <> ("memorandum_id" IS NULL))`,
    );
    await queryRunner.query(`ALTER TABLE "supervision_scopes" DROP COLUMN "kind"`);
  }
}
