import { MigrationInterface, QueryRunner } from 'typeorm';

export class Identity1795000000000 implements MigrationInterface {
  name = 'Identity1795000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "organisations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(300) NOT NULL, "short_name" character varying(100) NOT NULL, "kind" character varying(40) NOT NULL, "bin" character varying(12), "email" character varying(254), "language" character varying(2) NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "organisations_bin_check" CHECK ("bin" IS NULL OR "bin" ~ '^[0-9]{12}$'), CONSTRAINT "organisations_kind_check" CHECK ("kind" IN ('public_institution', 'government_office', 'youth_organisation', 'university', 'ngo', 'media', 'company', 'other')), CONSTRAINT "organisations_language_check" CHECK ("language" IN ('kk', 'ru', 'en')), CONSTRAINT "PK_7bf54cba378d5b2f1d4c10ef4df" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "organisations_bin_unique" ON "organisations"  ("bin") WHERE "bin" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "full_name" character varying(200) NOT NULL, "email" character varying(254) NOT NULL, "password_hash" character varying(200) NOT NULL, "organisation_id" uuid NOT NULL, "roles" character varying(32) array NOT NULL, "language" character varying(2) NOT NULL, "active" boolean NOT NULL DEFAULT true, "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "users_roles_check" CHECK ("roles" <@ ARRAY['coordinator', 'party_representative', 'signatory', 'supervisor', 'admin']::varchar[] AND cardinality("roles") > 0), CONSTRAINT "users_language_check" CHECK ("language" IN ('kk', 'ru', 'en')), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_unique" ON "users"  ("email") `);
    await queryRunner.query(`CREATE INDEX "users_organisation_idx" ON "users"  ("organisation_id") `);
    await queryRunner.query(
      `CREATE TABLE "auth_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "name" character varying(100), "token_hash" character(64) NOT NULL, "prefix" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "auth_tokens_kind_check" CHECK ("kind" IN ('session', 'personal')), CONSTRAINT "PK_41e9ddfbb32da18c4e85e45c2fd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "auth_tokens_user_idx" ON "auth_tokens"  ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "auth_tokens_hash_unique" ON "auth_tokens"  ("token_hash") `);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "FK_2fc4294f8ec97da71d587dc5577" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "auth_tokens" ADD CONSTRAINT "FK_9691367d446cd8b18f462c191b3" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "auth_tokens" DROP CONSTRAINT "FK_9691367d446cd8b18f462c191b3"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_2fc4294f8ec97da71d587dc5577"`);
    await queryRunner.query(`DROP INDEX "public"."auth_tokens_hash_unique"`);
    await queryRunner.query(`DROP INDEX "public"."auth_tokens_user_idx"`);
    await queryRunner.query(`DROP TABLE "auth_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."users_organisation_idx"`);
    await queryRunner.query(`DROP INDEX "public"."users_email_unique"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP INDEX "public"."organisations_bin_unique"`);
    await queryRunner.query(`DROP TABLE "organisations"`);
  }
}
