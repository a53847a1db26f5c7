import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A daily e-mail digest of notices (docs/notifications.md, "Preferences").
 *
 * - `notification_preferences.email_mode`: `each` (an e-mail per notice: today's behaviour, the default), `digest`
 *   (one e-mail a day at `digest_hour`, the user's local hour) or `off`. Users who had turned e-mail off (`email`
 *   false) get `off`; `email` stays, kept equal to `email_mode <> 'off'`.
 * - `notifications.for_digest`: the notice's e-mail is left to the digest; `digest_id`: the digest that listed it.
 * - `notification_digests`: one row per user and local day, written in the transaction that marks the notices it
 *   lists (`notice_count` 0: nothing was unread, no e-mail).
 */
export class NotificationDigest1795017000000 implements MigrationInterface {
  name = 'NotificationDigest1795017000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "notification_preferences" ADD "email_mode" character varying(8) NOT NULL DEFAULT 'each'`,
    );
    await queryRunner.query(`ALTER TABLE "notification_preferences" ADD "digest_hour" smallint NOT NULL DEFAULT '9'`);
    await queryRunner.query(`UPDATE "notification_preferences" SET "email_mode" = 'off' WHERE NOT "email"`);
    await queryRunner.query(
      `ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_email_mode_check" CHECK ("email_mode" IN ('each', 'digest', 'off'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_digest_hour_check" CHECK ("digest_hour" BETWEEN 0 AND 23)`,
    );
    await queryRunner.query(`
            CREATE TABLE "notification_digests" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "day" date NOT NULL,
                "notice_count" integer NOT NULL,
                "delivery_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_notification_digests" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "notification_digests_user_day_unique" ON "notification_digests" ("user_id", "day") `,
    );
    await queryRunner.query(`ALTER TABLE "notifications" ADD "for_digest" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "notifications" ADD "digest_id" uuid`);
    await queryRunner.query(
      `CREATE INDEX "notifications_digest_pending_idx" ON "notifications" ("user_id") WHERE "for_digest" AND "digest_id" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "notifications_digest_pending_idx"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "digest_id"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "for_digest"`);
    await queryRunner.query(`DROP TABLE "notification_digests"`);
    await queryRunner.query(
      `ALTER TABLE "notification_preferences" DROP CONSTRAINT "notification_preferences_digest_hour_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_preferences" DROP CONSTRAINT "notification_preferences_email_mode_check"`,
    );
    await queryRunner.query(`ALTER TABLE "notification_preferences" DROP COLUMN "digest_hour"`);
    await queryRunner.query(`ALTER TABLE "notification_preferences" DROP COLUMN "email_mode"`);
  }
}
