import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-user channels of the notices sent at once: e-mail on or off, and kinds muted by e-mail. */
export class NotificationPreferences1795008500000 implements MigrationInterface {
  name = 'NotificationPreferences1795008500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "notification_preferences" (
                "user_id" uuid NOT NULL,
                "email" boolean NOT NULL DEFAULT true,
                "muted_topics" character varying(64) array NOT NULL DEFAULT '{}',
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_notification_preferences" PRIMARY KEY ("user_id")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notification_preferences"`);
  }
}
