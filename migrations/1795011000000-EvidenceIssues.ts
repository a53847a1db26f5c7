import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The server's records of the evidence files it issued: each document's revision (null for files
 * made before), its SHA-256 indexed for POST /evidence/verify, and one row per file served (when,
 * to whom).
 */
export class EvidenceIssues1795011000000 implements MigrationInterface {
  name = 'EvidenceIssues1795011000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "evidence_issues" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "document_id" uuid NOT NULL, "user_id" uuid, "issued_to" text NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_29e6e73961e5420d02a2a5fd659" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "evidence_issues_document_idx" ON "evidence_issues"  ("document_id", "issued_at") `,
    );
    await queryRunner.query(`ALTER TABLE "evidence_documents" ADD "revision_number" integer`);
    await queryRunner.query(`ALTER TABLE "evidence_documents" ADD "revision_hash" character(64)`);
    await queryRunner.query(`CREATE INDEX "evidence_documents_sha256_idx" ON "evidence_documents"  ("sha256") `);
    await queryRunner.query(
      `ALTER TABLE "evidence_issues" ADD CONSTRAINT "FK_acbbf81ad6001047d0381d3b451" FOREIGN KEY ("document_id") REFERENCES "evidence_documents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "evidence_issues" ADD CONSTRAINT "FK_d71834efc271c4055bfa1dd835b" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "evidence_issues" DROP CONSTRAINT "FK_d71834efc271c4055bfa1dd835b"`);
    await queryRunner.query(`ALTER TABLE "evidence_issues" DROP CONSTRAINT "FK_acbbf81ad6001047d0381d3b451"`);
    await queryRunner.query(`DROP INDEX "public"."evidence_documents_sha256_idx"`);
    await queryRunner.query(`ALTER TABLE "evidence_documents" DROP COLUMN "revision_hash"`);
    await queryRunner.query(`ALTER TABLE "evidence_documents" DROP COLUMN "revision_number"`);
    await queryRunner.query(`DROP INDEX "public"."evidence_issues_document_idx"`);
    await queryRunner.query(`DROP TABLE "evidence_issues"`);
  }
}
