import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Digital signatures by signatories (docs/signatures.md): a user's IIN, a memorandum's required
 * signature level, the canonical form a revision's hash is taken in (existing revisions keep form
 * 1, so their hashes stay recomputable), and the CMS and its certificate stored with a signature.
 */
export class DigitalSignatures1795008000000 implements MigrationInterface {
  name = 'DigitalSignatures1795008000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "iin" character varying(12)`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_iin_check" CHECK ("iin" IS NULL OR "iin" ~ '^[0-9]{12}$')`,
    );
    await queryRunner.query(
      `ALTER TABLE "memoranda" ADD "signature_level" character varying(16) NOT NULL DEFAULT 'electronic'`,
    );
    await queryRunner.query(
      `ALTER TABLE "memoranda" ADD CONSTRAINT "memoranda_signature_level_check" CHECK ("signature_level" IN ('electronic', 'digital'))`,
    );
    await queryRunner.query(`ALTER TABLE "memorandum_revisions" ADD "canonical_version" integer NOT NULL DEFAULT 1`);
    await queryRunner.query(
      `ALTER TABLE "memorandum_signatures" ADD "cms" bytea, ADD "cms_sha256" character(64),
         ADD "certificate_fingerprint" character(64), ADD "certificate_subject" character varying(1000),
         ADD "certificate_issuer" character varying(1000), ADD "certificate_serial" character varying(100),
         ADD "certificate_iin" character varying(12), ADD "certificate_bin" character varying(12)`,
    );
    await queryRunner.query(`ALTER TABLE "memorandum_signatures" DROP CONSTRAINT "memorandum_signatures_method_check"`);
    await queryRunner.query(
      `ALTER TABLE "memorandum_signatures" ADD CONSTRAINT "memorandum_signatures_method_check" CHECK ("method" IN ('electronic', 'in_person', 'digital'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "memorandum_signatures" ADD CONSTRAINT "memorandum_signatures_digital_check" CHECK ("method" <> 'digital' OR ("signer_user_id" IS NOT NULL AND "cms" IS NOT NULL AND "cms_sha256" IS NOT NULL AND "certificate_fingerprint" IS NOT NULL))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "memorandum_signatures" WHERE "method" = 'digital'`);
    await queryRunner.query(
      `ALTER TABLE "memorandum_signatures" DROP CONSTRAINT "memorandum_signatures_digital_check"`,
    );
    await queryRunner.query(`ALTER TABLE "memorandum_signatures" DROP CONSTRAINT "memorandum_signatures_method_check"`);
    await queryRunner.query(
      `ALTER TABLE "memorandum_signatures" ADD CONSTRAINT "memorandum_signatures_method_check" CHECK ("method" IN ('electronic', 'in_person'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "memorandum_signatures" DROP COLUMN "certificate_bin", DROP COLUMN "certificate_iin",
         DROP COLUMN "certificate_serial", DROP COLUMN "certificate_issuer", DROP COLUMN "certificate_subject",
         DROP COLUMN "certificate_fingerprint", DROP COLUMN "cms_sha256", DROP COLUMN "cms"`,
    );
    await queryRunner.query(`ALTER TABLE "memorandum_revisions" DROP COLUMN "canonical_version"`);
    await queryRunner.query(`ALTER TABLE "memoranda" DROP CONSTRAINT "memoranda_signature_level_check"`);
    await queryRunner.query(`ALTER TABLE "memoranda" DROP COLUMN "signature_level"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_iin_check"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "iin"`);
  }
}
