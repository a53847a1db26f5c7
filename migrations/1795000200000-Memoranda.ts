import { MigrationInterface, QueryRunner } from 'typeorm';

/** Memoranda, their revisions, parties, approvals and signatures (libs/memoranda). */

export class Memoranda1795000200000 implements MigrationInterface {
  name = 'Memoranda1795000200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "memoranda" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "title" character varying(500) NOT NULL,
                "purpose" text NOT NULL,
                "body" text NOT NULL,
                "language" character varying(2) NOT NULL,
                "time_zone" character varying(64) NOT NULL DEFAULT 'Asia/Almaty',
                "effective_date" date,
                "end_date" date,
                "coordinating_organisation_id" uuid NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'draft',
                "amendment_status" character varying(16),
                "ordered_review" boolean NOT NULL DEFAULT false,
                "signing_mode" character varying(16),
                "ceremony" jsonb,
                "version" integer NOT NULL DEFAULT '1',
                "current_revision_number" integer NOT NULL DEFAULT '1',
                "executed_revision_number" integer,
                "termination_date" date,
                "created_by_user_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "memoranda_version_check" CHECK ("version" >= 1),
                CONSTRAINT "memoranda_term_check" CHECK (
                    "effective_date" IS NULL
                    OR "end_date" IS NULL
                    OR "end_date" > "effective_date"
                ),
                CONSTRAINT "memoranda_signing_mode_check" CHECK (
                    "signing_mode" IS NULL
                    OR "signing_mode" IN ('parallel', 'sequential')
                ),
                CONSTRAINT "memoranda_language_check" CHECK ("language" IN ('kk', 'ru', 'en')),
                CONSTRAINT "memoranda_amendment_status_check" CHECK (
                    "amendment_status" IS NULL
                    OR (
                        "status" = 'active'
                        AND "amendment_status" IN ('draft', 'in_review', 'approved', 'signing')
                    )
                ),
                CONSTRAINT "memoranda_status_check" CHECK (
                    "status" IN (
                        'draft',
                        'in_review',
                        'approved',
                        'signing',
                        'executed',
                        'active',
                        'expired',
                        'terminated',
                        'withdrawn'
                    )
                ),
                CONSTRAINT "PK_f7d466330a533163a0a7692b85c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "memoranda_coordinating_organisation_idx" ON "memoranda" ("coordinating_organisation_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "memoranda_status_idx" ON "memoranda" ("status")
        `);
    await queryRunner.query(`
            CREATE TABLE "memorandum_approvals" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "memorandum_id" uuid NOT NULL,
                "revision_number" integer NOT NULL,
                "revision_hash" character(64) NOT NULL,
                "organisation_id" uuid NOT NULL,
                "decision" character varying(16) NOT NULL,
                "comment" text,
                "user_id" uuid NOT NULL,
                "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "memorandum_approvals_comment_check" CHECK (
                    "decision" = 'approve'
                    OR (
                        "comment" IS NOT NULL
                        AND length(btrim("comment")) > 0
                    )
                ),
                CONSTRAINT "memorandum_approvals_decision_check" CHECK (
                    "decision" IN (
                        'approve',
                        'request_changes',
                        'decline',
                        'comment'
                    )
                ),
                CONSTRAINT "PK_7e9b2d7761243da6aa265dac100" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "memorandum_approvals_revision_idx" ON "memorandum_approvals" ("memorandum_id", "revision_number")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "memorandum_approvals_one_decision_per_party" ON "memorandum_approvals" (
                "memorandum_id",
                "revision_number",
                "organisation_id"
            )
            WHERE "decision" <> 'comment'
        `);
    await queryRunner.query(`
            CREATE TABLE "memorandum_parties" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "memorandum_id" uuid NOT NULL,
                "organisation_id" uuid NOT NULL,
                "role" character varying(16) NOT NULL,
                "order" integer NOT NULL,
                "required_signatures" integer NOT NULL DEFAULT '1',
                "signatory_user_ids" uuid array NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "memorandum_parties_order_check" CHECK ("order" >= 1),
                CONSTRAINT "memorandum_parties_required_signatures_check" CHECK (
                    "required_signatures" BETWEEN 1 AND 20
                ),
                CONSTRAINT "memorandum_parties_role_check" CHECK ("role" IN ('signatory', 'observer', 'witness')),
                CONSTRAINT "PK_4f7e7d086b827cc70c3bb1d6f87" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "memorandum_parties_organisation_idx" ON "memorandum_parties" ("organisation_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "memorandum_parties_organisation_unique" ON "memorandum_parties" ("memorandum_id", "organisation_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "memorandum_revisions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "memorandum_id" uuid NOT NULL,
                "number" integer NOT NULL,
                "kind" character varying(16) NOT NULL DEFAULT 'original',
                "title" character varying(500) NOT NULL,
                "purpose" text NOT NULL,
                "body" text NOT NULL,
                "language" character varying(2) NOT NULL,
                "time_zone" character varying(64) NOT NULL,
                "effective_date" date,
                "end_date" date,
                "parties" jsonb,
                "hash" character(64),
                "frozen_at" TIMESTAMP WITH TIME ZONE,
                "frozen_by_user_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "memorandum_revisions_number_check" CHECK ("number" >= 1),
                CONSTRAINT "memorandum_revisions_language_check" CHECK ("language" IN ('kk', 'ru', 'en')),
                CONSTRAINT "memorandum_revisions_kind_check" CHECK ("kind" IN ('original', 'amendment')),
                CONSTRAINT "memorandum_revisions_frozen_check" CHECK (
                    ("hash" IS NULL) = ("frozen_at" IS NULL)
                    AND ("hash" IS NULL) = ("parties" IS NULL)
                ),
                CONSTRAINT "PK_43516dc9dd4c935c0695e868ba0" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "memorandum_revisions_number_unique" ON "memorandum_revisions" ("memorandum_id", "number")
        `);
    await queryRunner.query(`
            CREATE TABLE "memorandum_signatures" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "memorandum_id" uuid NOT NULL,
                "revision_number" integer NOT NULL,
                "revision_hash" character(64) NOT NULL,
                "organisation_id" uuid NOT NULL,
                "method" character varying(16) NOT NULL,
                "slot" integer NOT NULL,
                "required_signatures" integer NOT NULL,
                "signer_key" character varying(300) NOT NULL,
                "signer_user_id" uuid,
                "signer_name" character varying(200) NOT NULL,
                "typed_name" character varying(200),
                "consent" boolean,
                "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "recorded_by_user_id" uuid NOT NULL,
                "ip_address" character varying(64),
                "user_agent" character varying(500),
                "place" character varying(300),
                "evidence_reference" character varying(500),
                "evidence_sha256" character(64),
                CONSTRAINT "memorandum_signatures_in_person_check" CHECK (
                    "method" <> 'in_person'
                    OR (
                        "place" IS NOT NULL
                        AND "evidence_reference" IS NOT NULL
                        AND "evidence_sha256" IS NOT NULL
                    )
                ),
                CONSTRAINT "memorandum_signatures_electronic_check" CHECK (
                    "method" <> 'electronic'
                    OR (
                        "signer_user_id" IS NOT NULL
                        AND "typed_name" IS NOT NULL
                        AND "consent" = true
                    )
                ),
                CONSTRAINT "memorandum_signatures_slot_check" CHECK (
                    "slot" BETWEEN 1 AND "required_signatures"
                ),
                CONSTRAINT "memorandum_signatures_method_check" CHECK ("method" IN ('electronic', 'in_person')),
                CONSTRAINT "PK_61caff366e62a9a47597a582278" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "memorandum_signatures_slot_unique" ON "memorandum_signatures" (
                "memorandum_id",
                "revision_number",
                "organisation_id",
                "slot"
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "memorandum_signatures_one_per_signer" ON "memorandum_signatures" (
                "memorandum_id",
                "revision_number",
                "organisation_id",
                "signer_key"
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "memoranda"
            ADD CONSTRAINT "FK_7d75518a5308531d7d20d9c4e2f" FOREIGN KEY ("coordinating_organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_approvals"
            ADD CONSTRAINT "FK_1a8cd02ac9cef5c601322504e32" FOREIGN KEY ("memorandum_id") REFERENCES "memoranda"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_approvals"
            ADD CONSTRAINT "FK_9ffe9c5a0752c6bda718d4e3c81" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_approvals"
            ADD CONSTRAINT "FK_c759520e2815806887dea839a9e" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_parties"
            ADD CONSTRAINT "FK_4574e751358e2165e2301f3f799" FOREIGN KEY ("memorandum_id") REFERENCES "memoranda"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_parties"
            ADD CONSTRAINT "FK_bd2e8d73c578f70cf8944b2914f" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_revisions"
            ADD CONSTRAINT "FK_a1806316861e4758677d6f7f661" FOREIGN KEY ("memorandum_id") REFERENCES "memoranda"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_signatures"
            ADD CONSTRAINT "FK_b183c5a1db7cbb1f581d2501d56" FOREIGN KEY ("memorandum_id") REFERENCES "memoranda"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_signatures"
            ADD CONSTRAINT "FK_eba278cc52bba9815d17611f81c" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "memorandum_signatures" DROP CONSTRAINT "FK_eba278cc52bba9815d17611f81c"
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_signatures" DROP CONSTRAINT "FK_b183c5a1db7cbb1f581d2501d56"
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_revisions" DROP CONSTRAINT "FK_a1806316861e4758677d6f7f661"
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_parties" DROP CONSTRAINT "FK_bd2e8d73c578f70cf8944b2914f"
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_parties" DROP CONSTRAINT "FK_4574e751358e2165e2301f3f799"
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_approvals" DROP CONSTRAINT "FK_c759520e2815806887dea839a9e"
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_approvals" DROP CONSTRAINT "FK_9ffe9c5a0752c6bda718d4e3c81"
        `);
    await queryRunner.query(`
            ALTER TABLE "memorandum_approvals" DROP CONSTRAINT "FK_1a8cd02ac9cef5c601322504e32"
        `);
    await queryRunner.query(`
            ALTER TABLE "memoranda" DROP CONSTRAINT "FK_7d75518a5308531d7d20d9c4e2f"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."memorandum_signatures_one_per_signer"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."memorandum_signatures_slot_unique"
        `);
    await queryRunner.query(`
            DROP TABLE "memorandum_signatures"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."memorandum_revisions_number_unique"
        `);
    await queryRunner.query(`
            DROP TABLE "memorandum_revisions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."memorandum_parties_organisation_unique"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."memorandum_parties_organisation_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "memorandum_parties"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."memorandum_approvals_one_decision_per_party"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."memorandum_approvals_revision_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "memorandum_approvals"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."memoranda_status_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."memoranda_coordinating_organisation_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "memoranda"
        `);
  }
}
