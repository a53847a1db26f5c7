import { MigrationInterface, QueryRunner } from 'typeorm';

export class Idempotency1795000310000 implements MigrationInterface {
  name = 'Idempotency1795000310000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "idempotency_keys" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "scope" character varying(64) NOT NULL,
                "key" character varying(200) NOT NULL,
                "method" character varying(10) NOT NULL,
                "path" text NOT NULL,
                "request_hash" character(64) NOT NULL,
                "status" character varying(16) NOT NULL,
                "response_status" integer,
                "response_body" jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "idempotency_keys_scope_key_key" UNIQUE ("scope", "key"),
                CONSTRAINT "idempotency_keys_status_check" CHECK ("status" IN ('in_progress', 'completed')),
                CONSTRAINT "PK_8ad20779ad0411107a56e53d0f6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idempotency_keys_expires_at_idx" ON "idempotency_keys" ("expires_at")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."idempotency_keys_expires_at_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "idempotency_keys"
        `);
  }
}
