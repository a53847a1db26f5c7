import { MigrationInterface, QueryRunner } from 'typeorm';

export class History1795000300000 implements MigrationInterface {
  name = 'History1795000300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "history_events" (
                "id" uuid NOT NULL,
                "memorandum_id" uuid NOT NULL,
                "seq" integer NOT NULL,
                "action" character varying(64) NOT NULL,
                "from_status" character varying(32),
                "to_status" character varying(32),
                "actor_user_id" uuid,
                "actor_name" character varying(200),
                "organisation_id" uuid,
                "revision_number" integer,
                "revision_hash" character varying(128),
                "reason" text,
                "request_id" character varying(128),
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "data" jsonb NOT NULL,
                "prev_hash" character(64) NOT NULL,
                "hash" character(64) NOT NULL,
                CONSTRAINT "history_events_memorandum_seq_key" UNIQUE ("memorandum_id", "seq"),
                CONSTRAINT "history_events_hash_check" CHECK (
                    "hash" ~ '^[0-9a-f]{64}$'
                    AND "prev_hash" ~ '^[0-9a-f]{64}$'
                ),
                CONSTRAINT "history_events_seq_check" CHECK ("seq" >= 1),
                CONSTRAINT "PK_37efb8ff48b1d3943482ecc57b6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "history_heads" (
                "memorandum_id" uuid NOT NULL,
                "last_seq" integer NOT NULL,
                "last_hash" character(64) NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "history_heads_last_seq_check" CHECK ("last_seq" >= 0),
                CONSTRAINT "PK_2b05e7faf355e9ab8445c89dc37" PRIMARY KEY ("memorandum_id")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "history_heads"
        `);
    await queryRunner.query(`
            DROP TABLE "history_events"
        `);
  }
}
