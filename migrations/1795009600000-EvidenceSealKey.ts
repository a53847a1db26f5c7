import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The installation's own evidence seal (one row), made by the first process to start without
 * EVIDENCE_SEAL_P12; evidence PDFs are sealed by default.
 */
export class EvidenceSealKey1795009600000 implements MigrationInterface {
  name = 'EvidenceSealKey1795009600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "evidence_seal_keys" ("id" smallint NOT NULL, "subject" text NOT NULL, "certificate" text NOT NULL, "fingerprint" character(64) NOT NULL, "private_key" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "evidence_seal_keys_one" CHECK ("id" = 1), CONSTRAINT "evidence_seal_keys_pkey" PRIMARY KEY ("id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "evidence_seal_keys"`);
  }
}
