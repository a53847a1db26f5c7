import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An admin's password reset and system organisations.
 *
 * - `users.must_change_password`: set by an admin's reset (a temporary password); while it is
 *   true a session may only change the password (AccessGuard), and changing it clears it.
 * - The credential generation (migration 1795007200000) also moves when a user is moved to
 *   another organisation: a session or calendar feed token made for the old organisation must not
 *   open the new one's.
 * - `organisations.system`: an organisation of the installation itself (the operator organisation
 *   `kelisim create-admin` makes), never offered as a party. Existing ones are found as the
 *   organisations that have users, all of them admins only, and are party to no memorandum.
 */
export class PasswordResetSystemOrganisations1795013000000 implements MigrationInterface {
  name = 'PasswordResetSystemOrganisations1795013000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "must_change_password" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "organisations" ADD "system" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `UPDATE "organisations" o SET "system" = true
        WHERE EXISTS (SELECT 1 FROM "users" u WHERE u."organisation_id" = o."id")
          AND NOT EXISTS (SELECT 1 FROM "users" u WHERE u."organisation_id" = o."id" AND u."roles" <> ARRAY['admin']::varchar[])
          AND NOT EXISTS (SELECT 1 FROM "memorandum_parties" p WHERE p."organisation_id" = o."id")`,
    );
    await queryRunner.query(`DROP TRIGGER users_credentials_changed ON "users"`);
    await queryRunner.query(`CREATE TRIGGER users_credentials_changed BEFORE UPDATE OF "active", "password_hash", "organisation_id" ON "users"
      FOR EACH ROW WHEN ((OLD.active AND NOT NEW.active) OR OLD.password_hash IS DISTINCT FROM NEW.password_hash
                         OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id)
      EXECUTE FUNCTION kelisim_user_credentials_changed()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER users_credentials_changed ON "users"`);
    await queryRunner.query(`CREATE TRIGGER users_credentials_changed BEFORE UPDATE OF "active", "password_hash" ON "users"
      FOR EACH ROW WHEN ((OLD.active AND NOT NEW.active) OR OLD.password_hash IS DISTINCT FROM NEW.password_hash)
      EXECUTE FUNCTION kelisim_user_credentials_changed()`);
    await queryRunner.query(`ALTER TABLE "organisations" DROP COLUMN "system"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "must_change_password"`);
  }
}
