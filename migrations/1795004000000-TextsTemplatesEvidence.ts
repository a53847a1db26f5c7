import { MigrationInterface, QueryRunner } from 'typeorm';
// Relative path: the migrations are also loaded by jest's globalSetup, which has no module mapper for the aliases.
// eslint-disable-next-line no-restricted-imports -- see above
import { TARAZ_TEMPLATE_ID, tarazTemplateContentV1 } from '../libs/templates/src/taraz-template';

/**
 * Texts in several languages (a `translations` column beside the text; null for every existing
 * revision, which the canonical form leaves out, so existing revision hashes are unchanged),
 * templates with versions (a memorandum records the version it came from, and
 * template_instances the values and filled-in commitment blueprints), the cache of evidence
 * PDFs by history head, and the Taraz memorandum shipped as a shared template. Generated, then the
 * template's row added by hand.
 */

export class TextsTemplatesEvidence1795004000000 implements MigrationInterface {
  name = 'TextsTemplatesEvidence1795004000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "templates" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid, "shared" boolean NOT NULL DEFAULT false, "name" character varying(200) NOT NULL, "current_version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "templates_current_version_check" CHECK ("current_version" >= 1), CONSTRAINT "PK_515948649ce0bbbe391de702ae5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "templates_organisation_idx" ON "templates"  ("organisation_id") `);
    await queryRunner.query(
      `CREATE TABLE "template_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "template_id" uuid NOT NULL, "version" integer NOT NULL, "name" character varying(200) NOT NULL, "language" character varying(2) NOT NULL, "texts" jsonb NOT NULL, "placeholders" jsonb NOT NULL, "defaults" jsonb NOT NULL, "commitment_blueprints" jsonb NOT NULL, "created_by_user_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "template_versions_version_check" CHECK ("version" >= 1), CONSTRAINT "template_versions_language_check" CHECK ("language" IN ('kk', 'ru', 'en')), CONSTRAINT "PK_cfc439255ca2725f4102c554d41" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "template_versions_unique" ON "template_versions"  ("template_id", "version") `,
    );
    await queryRunner.query(
      `CREATE TABLE "evidence_documents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "memorandum_id" uuid NOT NULL, "head_seq" integer NOT NULL, "head_hash" character(64) NOT NULL, "sha256" character(64) NOT NULL, "sealed" boolean NOT NULL DEFAULT false, "pdf" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_b46a40c01287b3f561833b5964a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "evidence_documents_head_unique" ON "evidence_documents"  ("memorandum_id", "head_hash") `,
    );
    await queryRunner.query(`ALTER TABLE "memoranda" ADD "translations" jsonb`);
    await queryRunner.query(`ALTER TABLE "memoranda" ADD "template_id" uuid`);
    await queryRunner.query(`ALTER TABLE "memoranda" ADD "template_version" integer`);
    await queryRunner.query(`ALTER TABLE "memorandum_revisions" ADD "translations" jsonb`);
    await queryRunner.query(
      `ALTER TABLE "templates" ADD CONSTRAINT "FK_08e0682a264409867214758b190" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "template_versions" ADD CONSTRAINT "FK_d747f429f90a051a017094521b0" FOREIGN KEY ("template_id") REFERENCES "templates"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "evidence_documents" ADD CONSTRAINT "FK_9248f7fce967757e6c384d69888" FOREIGN KEY ("memorandum_id") REFERENCES "memoranda"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE TABLE "template_instances" ("memorandum_id" uuid NOT NULL, "template_id" uuid NOT NULL, "template_version" integer NOT NULL, "values" jsonb NOT NULL, "commitment_blueprints" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_77da0b90df22b8ea4b876469a7e" PRIMARY KEY ("memorandum_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "template_instances_template_idx" ON "template_instances"  ("template_id") `);
    await queryRunner.query(
      `ALTER TABLE "template_instances" ADD CONSTRAINT "FK_77da0b90df22b8ea4b876469a7e" FOREIGN KEY ("memorandum_id") REFERENCES "memoranda"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "template_instances" ADD CONSTRAINT "FK_d08b92c449e06e11000181bbaf6" FOREIGN KEY ("template_id") REFERENCES "templates"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    const taraz = tarazTemplateContentV1();
    await queryRunner.query(
      `INSERT INTO "templates" ("id", "organisation_id", "shared", "name", "current_version", "created_at", "updated_at")
             VALUES ($1, NULL, true, $2, 1, now(), now())`,
      [TARAZ_TEMPLATE_ID, taraz.name],
    );
    await queryRunner.query(
      `INSERT INTO "template_versions" ("template_id", "version", "name", "language", "texts", "placeholders", "defaults", "commitment_blueprints", "created_at")
             VALUES ($1, 1, $2, $3, $4, $5, $6, $7, now())`,
      [
        TARAZ_TEMPLATE_ID,
        taraz.name,
        taraz.language,
        JSON.stringify(taraz.texts),
        JSON.stringify(taraz.placeholders),
        JSON.stringify(taraz.defaults),
        JSON.stringify(taraz.commitmentBlueprints),
      ],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "template_instances" DROP CONSTRAINT "FK_d08b92c449e06e11000181bbaf6"`);
    await queryRunner.query(`ALTER TABLE "template_instances" DROP CONSTRAINT "FK_77da0b90df22b8ea4b876469a7e"`);
    await queryRunner.query(`DROP INDEX "public"."template_instances_template_idx"`);
    await queryRunner.query(`DROP TABLE "template_instances"`);
    await queryRunner.query(`ALTER TABLE "evidence_documents" DROP CONSTRAINT "FK_9248f7fce967757e6c384d69888"`);
    await queryRunner.query(`ALTER TABLE "template_versions" DROP CONSTRAINT "FK_d747f429f90a051a017094521b0"`);
    await queryRunner.query(`ALTER TABLE "templates" DROP CONSTRAINT "FK_08e0682a264409867214758b190"`);
    await queryRunner.query(`ALTER TABLE "memorandum_revisions" DROP COLUMN "translations"`);
    await queryRunner.query(`ALTER TABLE "memoranda" DROP COLUMN "template_version"`);
    await queryRunner.query(`ALTER TABLE "memoranda" DROP COLUMN "template_id"`);
    await queryRunner.query(`ALTER TABLE "memoranda" DROP COLUMN "translations"`);
    await queryRunner.query(`DROP INDEX "public"."evidence_documents_head_unique"`);
    await queryRunner.query(`DROP TABLE "evidence_documents"`);
    await queryRunner.query(`DROP INDEX "public"."template_versions_unique"`);
    await queryRunner.query(`DROP TABLE "template_versions"`);
    await queryRunner.query(`DROP INDEX "public"."templates_organisation_idx"`);
    await queryRunner.query(`DROP TABLE "templates"`);
  }
}
