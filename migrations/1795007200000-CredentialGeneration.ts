import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A credential generation per user, moved by the database itself when the user is deactivated,
 * their password changes, or their organisation is deactivated — by the API or by any SQL — and
 * recorded in each session, personal and calendar feed token when it is made. A token opens
 * nothing unless the two agree, so it cannot come back when its account is reactivated, even
 * after a deactivation written in SQL that revoked nothing. Users who are inactive today, or in an
 * inactive organisation, start one generation on: their existing tokens stay dead if they are
 * reactivated.
 */
export class CredentialGeneration1795007200000 implements MigrationInterface {
  name = 'CredentialGeneration1795007200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "credential_generation" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "users" ADD "credentials_changed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "feed_tokens" ADD "credential_generation" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "feed_tokens" ALTER COLUMN "credential_generation" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "auth_tokens" ADD "credential_generation" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "auth_tokens" ALTER COLUMN "credential_generation" DROP DEFAULT`);
    await queryRunner.query(
      `UPDATE "users" u SET "credential_generation" = 1, "credentials_changed_at" = now()
        WHERE NOT u."active" OR EXISTS (SELECT 1 FROM "organisations" o WHERE o."id" = u."organisation_id" AND NOT o."active")`,
    );
    await queryRunner.query(`CREATE FUNCTION kelisim_user_credentials_changed() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        NEW.credential_generation := OLD.credential_generation + 1;
        NEW.credentials_changed_at := now();
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER users_credentials_changed BEFORE UPDATE OF "active", "password_hash" ON "users"
      FOR EACH ROW WHEN ((OLD.active AND NOT NEW.active) OR OLD.password_hash IS DISTINCT FROM NEW.password_hash)
      EXECUTE FUNCTION kelisim_user_credentials_changed()`);
    await queryRunner.query(`CREATE FUNCTION kelisim_organisation_deactivated() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE users SET credential_generation = credential_generation + 1, credentials_changed_at = now()
         WHERE organisation_id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER organisations_deactivated AFTER UPDATE OF "active" ON "organisations"
      FOR EACH ROW WHEN (OLD.active AND NOT NEW.active)
      EXECUTE FUNCTION kelisim_organisation_deactivated()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER organisations_deactivated ON "organisations"`);
    await queryRunner.query(`DROP FUNCTION kelisim_organisation_deactivated()`);
    await queryRunner.query(`DROP TRIGGER users_credentials_changed ON "users"`);
    await queryRunner.query(`DROP FUNCTION kelisim_user_credentials_changed()`);
    await queryRunner.query(`ALTER TABLE "auth_tokens" DROP COLUMN "credential_generation"`);
    await queryRunner.query(`ALTER TABLE "feed_tokens" DROP COLUMN "credential_generation"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "credentials_changed_at"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "credential_generation"`);
  }
}
