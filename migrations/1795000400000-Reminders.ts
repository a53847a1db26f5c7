import { MigrationInterface, QueryRunner } from 'typeorm';

/** Reminders (scheduled_items, reminder_policies) and notifications (deliveries, inbox, webhooks). */
export class Reminders1795000400000 implements MigrationInterface {
  name = 'Reminders1795000400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "notification_deliveries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "idempotency_key" character varying(300) NOT NULL,
                "source_type" character varying(32) NOT NULL,
                "source_id" character varying(64) NOT NULL,
                "topic" character varying(64) NOT NULL,
                "channel" character varying(16) NOT NULL,
                "user_id" uuid,
                "webhook_id" uuid,
                "memorandum_id" uuid,
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "not_before" TIMESTAMP WITH TIME ZONE NOT NULL,
                "content" jsonb NOT NULL,
                "attempts" integer NOT NULL DEFAULT '0',
                "last_error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "sent_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "notification_deliveries_status_check" CHECK (
                    "status" IN ('pending', 'sent', 'failed', 'skipped')
                ),
                CONSTRAINT "notification_deliveries_channel_check" CHECK ("channel" IN ('in_app', 'email', 'webhook')),
                CONSTRAINT "PK_81daeff81f237bd384f7cfc4a4c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "notification_deliveries_idempotency_key_unique" ON "notification_deliveries" ("idempotency_key")
        `);
    await queryRunner.query(`
            CREATE INDEX "notification_deliveries_user_idx" ON "notification_deliveries" ("user_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "notification_deliveries_webhook_idx" ON "notification_deliveries" ("webhook_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "notification_deliveries_pending_idx" ON "notification_deliveries" ("not_before")
            WHERE "status" = 'pending'
        `);
    await queryRunner.query(`
            CREATE TABLE "notifications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "topic" character varying(64) NOT NULL,
                "memorandum_id" uuid,
                "title" character varying(300) NOT NULL,
                "body" text NOT NULL,
                "data" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "read_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "notifications_user_created_idx" ON "notifications" ("user_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhooks" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organisation_id" uuid NOT NULL,
                "url" character varying(2000) NOT NULL,
                "events" character varying(64) array NOT NULL,
                "secret" character varying(200) NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "deleted_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_9e8795cfc899ab7bdaa831e8527" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "webhooks_organisation_idx" ON "webhooks" ("organisation_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_attempts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "delivery_id" uuid NOT NULL,
                "webhook_id" uuid NOT NULL,
                "attempt" integer NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "status_code" integer,
                "ok" boolean NOT NULL,
                "error" text,
                "duration_ms" integer NOT NULL,
                CONSTRAINT "PK_2de7e7887ad97de459adab62638" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "webhook_attempts_delivery_idx" ON "webhook_attempts" ("delivery_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "webhook_attempts_webhook_idx" ON "webhook_attempts" ("webhook_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "reminder_policies" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "memorandum_id" uuid NOT NULL,
                "kind" character varying(32) NOT NULL,
                "enabled" boolean NOT NULL DEFAULT true,
                "interval_days" integer,
                "max_count" integer,
                "offsets_days" integer array,
                "escalate_to" character varying(16) NOT NULL DEFAULT 'supervisors',
                "updated_by" uuid,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "reminder_policies_escalate_to_check" CHECK ("escalate_to" IN ('supervisors', 'none')),
                CONSTRAINT "reminder_policies_kind_check" CHECK ("kind" IN ('review', 'signing', 'term_end')),
                CONSTRAINT "PK_a8c964baa9fb60b3e1830df35b2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "reminder_policies_memorandum_kind_unique" ON "reminder_policies" ("memorandum_id", "kind")
        `);
    await queryRunner.query(`
            CREATE TABLE "scheduled_items" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "kind" character varying(32) NOT NULL,
                "memorandum_id" uuid NOT NULL,
                "organisation_id" uuid,
                "revision_number" integer,
                "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "sequence" integer NOT NULL DEFAULT '1',
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "dedupe_key" character varying(200) NOT NULL,
                "data" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "fired_at" TIMESTAMP WITH TIME ZONE,
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                "outcome" character varying(200),
                CONSTRAINT "scheduled_items_status_check" CHECK (
                    "status" IN ('pending', 'enqueued', 'done', 'cancelled')
                ),
                CONSTRAINT "scheduled_items_kind_check" CHECK (
                    "kind" IN (
                        'approval_reminder',
                        'signature_reminder',
                        'escalation',
                        'term_notice',
                        'activation',
                        'expiry'
                    )
                ),
                CONSTRAINT "PK_0689523526e3b5d0c6b157eb60a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "scheduled_items_memorandum_idx" ON "scheduled_items" ("memorandum_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "scheduled_items_dedupe_key_unique" ON "scheduled_items" ("dedupe_key")
        `);
    await queryRunner.query(`
            CREATE INDEX "scheduled_items_due_idx" ON "scheduled_items" ("due_at")
            WHERE "status" IN ('pending', 'enqueued')
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."scheduled_items_due_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."scheduled_items_dedupe_key_unique"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."scheduled_items_memorandum_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "scheduled_items"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."reminder_policies_memorandum_kind_unique"
        `);
    await queryRunner.query(`
            DROP TABLE "reminder_policies"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."webhook_attempts_webhook_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."webhook_attempts_delivery_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_attempts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."webhooks_organisation_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "webhooks"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notifications_user_created_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "notifications"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notification_deliveries_pending_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notification_deliveries_webhook_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notification_deliveries_user_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notification_deliveries_idempotency_key_unique"
        `);
    await queryRunner.query(`
            DROP TABLE "notification_deliveries"
        `);
  }
}
