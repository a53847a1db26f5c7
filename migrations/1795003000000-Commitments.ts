import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-up (libs/commitments): commitments and their dated occurrences, activity reports, evidence
 * files and their content-addressed bytes, and the commitments frozen into each submitted revision.
 */
export class Commitments1795003000000 implements MigrationInterface {
  name = 'Commitments1795003000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "commitments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "memorandum_id" uuid NOT NULL, "origin" character varying(8) NOT NULL, "title" character varying(500) NOT NULL, "description" text, "clause_ref" character varying(100), "lead_organisation_id" uuid NOT NULL, "organisation_ids" uuid array NOT NULL DEFAULT '{}', "target_quantity" integer, "target_unit" character varying(100), "due_date" date, "rrule" character varying(500), "status" character varying(16) NOT NULL DEFAULT 'planned', "frozen_revision_number" integer, "version" integer NOT NULL DEFAULT '1', "created_by_user_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "commitments_target_check" CHECK (("target_quantity" IS NULL) = ("target_unit" IS NULL)), CONSTRAINT "commitments_origin_check" CHECK ("origin" IN ('text', 'plan')), CONSTRAINT "commitments_status_check" CHECK ("status" IN ('planned', 'in_progress', 'completed', 'cancelled', 'overdue')), CONSTRAINT "PK_82060edcfe810ce82b7565521af" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "commitments_lead_idx" ON "commitments"  ("lead_organisation_id", "status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "commitments_memorandum_idx" ON "commitments"  ("memorandum_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "activity_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "commitment_id" uuid NOT NULL, "memorandum_id" uuid NOT NULL, "occurrence_date" date, "organisation_id" uuid NOT NULL, "author_user_id" uuid NOT NULL, "date" date NOT NULL, "summary" text NOT NULL, "participants" integer, "outcome" text, "links" text array NOT NULL DEFAULT '{}', "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "activity_reports_participants_check" CHECK ("participants" IS NULL OR "participants" >= 0), CONSTRAINT "PK_be1fa0ad267e5f3633e5d6e7636" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "activity_reports_organisation_idx" ON "activity_reports"  ("organisation_id", "date") `,
    );
    await queryRunner.query(
      `CREATE INDEX "activity_reports_commitment_idx" ON "activity_reports"  ("commitment_id", "date") `,
    );
    await queryRunner.query(
      `CREATE TABLE "evidence_blobs" ("sha256" character(64) NOT NULL, "content" bytea NOT NULL, "size" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "evidence_blobs_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$'), CONSTRAINT "PK_24cba15ba49a6c2658765af46a9" PRIMARY KEY ("sha256"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "evidence_files" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "report_id" uuid NOT NULL, "sha256" character(64) NOT NULL, "name" character varying(255) NOT NULL, "content_type" character varying(100) NOT NULL, "size" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f8d1a9a8e0430b749e2f4694460" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "evidence_files_report_idx" ON "evidence_files"  ("report_id") `);
    await queryRunner.query(
      `CREATE TABLE "commitment_occurrences" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "commitment_id" uuid NOT NULL, "memorandum_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "date" date NOT NULL, "overdue_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'planned', "completed_at" TIMESTAMP WITH TIME ZONE, "completed_by_user_id" uuid, "late" boolean NOT NULL DEFAULT false, CONSTRAINT "commitment_occurrences_status_check" CHECK ("status" IN ('planned', 'in_progress', 'completed', 'cancelled', 'overdue')), CONSTRAINT "PK_d50824083d5ef9085f8f1205793" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "commitment_occurrences_status_date_idx" ON "commitment_occurrences"  ("status", "date") `,
    );
    await queryRunner.query(
      `CREATE INDEX "commitment_occurrences_memorandum_idx" ON "commitment_occurrences"  ("memorandum_id", "date") `,
    );
    await queryRunner.query(
      `CREATE INDEX "commitment_occurrences_org_status_date_idx" ON "commitment_occurrences"  ("organisation_id", "status", "date") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "commitment_occurrences_date_unique" ON "commitment_occurrences"  ("commitment_id", "date") `,
    );
    await queryRunner.query(
      `CREATE TABLE "revision_commitments" ("memorandum_id" uuid NOT NULL, "revision_number" integer NOT NULL, "commitments" jsonb NOT NULL, "frozen_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_c3195e2d0b8f4811c0410c09d34" PRIMARY KEY ("memorandum_id", "revision_number"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "commitments" ADD CONSTRAINT "FK_f3aa48a04476bbeca0fd6451623" FOREIGN KEY ("memorandum_id") REFERENCES "memoranda"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "commitments" ADD CONSTRAINT "FK_6eb131b4900eed22fc4b2065074" FOREIGN KEY ("lead_organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "activity_reports" ADD CONSTRAINT "FK_2da52c11a9e20bdcecddb0ff9b4" FOREIGN KEY ("commitment_id") REFERENCES "commitments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "evidence_files" ADD CONSTRAINT "FK_02c33b16d7bcd40cadd3bced019" FOREIGN KEY ("report_id") REFERENCES "activity_reports"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "evidence_files" ADD CONSTRAINT "FK_bfd442f998d0b03872c64de9630" FOREIGN KEY ("sha256") REFERENCES "evidence_blobs"("sha256") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "commitment_occurrences" ADD CONSTRAINT "FK_a236d42d2c77c823d448f95adbb" FOREIGN KEY ("commitment_id") REFERENCES "commitments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "commitment_occurrences" DROP CONSTRAINT "FK_a236d42d2c77c823d448f95adbb"`);
    await queryRunner.query(`ALTER TABLE "evidence_files" DROP CONSTRAINT "FK_bfd442f998d0b03872c64de9630"`);
    await queryRunner.query(`ALTER TABLE "evidence_files" DROP CONSTRAINT "FK_02c33b16d7bcd40cadd3bced019"`);
    await queryRunner.query(`ALTER TABLE "activity_reports" DROP CONSTRAINT "FK_2da52c11a9e20bdcecddb0ff9b4"`);
    await queryRunner.query(`ALTER TABLE "commitments" DROP CONSTRAINT "FK_6eb131b4900eed22fc4b2065074"`);
    await queryRunner.query(`ALTER TABLE "commitments" DROP CONSTRAINT "FK_f3aa48a04476bbeca0fd6451623"`);
    await queryRunner.query(`DROP TABLE "revision_commitments"`);
    await queryRunner.query(`DROP INDEX "public"."commitment_occurrences_date_unique"`);
    await queryRunner.query(`DROP INDEX "public"."commitment_occurrences_org_status_date_idx"`);
    await queryRunner.query(`DROP INDEX "public"."commitment_occurrences_memorandum_idx"`);
    await queryRunner.query(`DROP INDEX "public"."commitment_occurrences_status_date_idx"`);
    await queryRunner.query(`DROP TABLE "commitment_occurrences"`);
    await queryRunner.query(`DROP INDEX "public"."evidence_files_report_idx"`);
    await queryRunner.query(`DROP TABLE "evidence_files"`);
    await queryRunner.query(`DROP TABLE "evidence_blobs"`);
    await queryRunner.query(`DROP INDEX "public"."activity_reports_commitment_idx"`);
    await queryRunner.query(`DROP INDEX "public"."activity_reports_organisation_idx"`);
    await queryRunner.query(`DROP TABLE "activity_reports"`);
    await queryRunner.query(`DROP INDEX "public"."commitments_memorandum_idx"`);
    await queryRunner.query(`DROP INDEX "public"."commitments_lead_idx"`);
    await queryRunner.query(`DROP TABLE "commitments"`);
  }
}
