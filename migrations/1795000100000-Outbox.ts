import { MigrationInterface, QueryRunner } from 'typeorm';

export class Outbox1795000100000 implements MigrationInterface {
  name = 'Outbox1795000100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "outbox_events" (
                "id" BIGSERIAL NOT NULL,
                "type" character varying(64) NOT NULL,
                "aggregate_type" character varying(32) NOT NULL,
                "aggregate_id" uuid NOT NULL,
                "payload" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "available_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "processed_at" TIMESTAMP WITH TIME ZONE,
                "attempts" integer NOT NULL DEFAULT '0',
                "last_error" text,
                CONSTRAINT "PK_6689a16c00d09b8089f6237f1d2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "outbox_events_aggregate_idx" ON "outbox_events" ("aggregate_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "outbox_events_pending_idx" ON "outbox_events" ("available_at")
            WHERE "processed_at" IS NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."outbox_events_pending_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."outbox_events_aggregate_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "outbox_events"
        `);
  }
}
