import { MigrationInterface, QueryRunner } from 'typeorm';
// Relative path: the migrations are also loaded by jest's globalSetup, which has no module mapper for the aliases.
// eslint-disable-next-line no-restricted-imports -- see above
import { TARAZ_TEMPLATE_ID, tarazTemplateContent } from '../libs/templates/src/taraz-template';

/**
 * The shipped Taraz template's text becomes the memorandum itself (parties, subject, the three
 * areas of cooperation, obligations, term, signatures) in Russian and Kazakh, instead of the news
 * report of its signing. Added as the template's next version, so memoranda already made from
 * version 1 keep naming it, and an installation whose admins edited the template keeps their
 * versions below this one.
 */
export class TarazTemplateText1795009000000 implements MigrationInterface {
  name = 'TarazTemplateText1795009000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const taraz = tarazTemplateContent();
    const rows: Array<{ current_version: number }> = await queryRunner.query(
      `SELECT "current_version" FROM "templates" WHERE "id" = $1 FOR UPDATE`,
      [TARAZ_TEMPLATE_ID],
    );
    if (rows.length === 0) return; // removed by its operators: nothing to update
    const next = rows[0].current_version + 1;
    await queryRunner.query(
      `INSERT INTO "template_versions" ("template_id", "version", "name", "language", "texts", "placeholders", "defaults", "commitment_blueprints", "created_at")
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())`,
      [
        TARAZ_TEMPLATE_ID,
        next,
        taraz.name,
        taraz.language,
        JSON.stringify(taraz.texts),
        JSON.stringify(taraz.placeholders),
        JSON.stringify(taraz.defaults),
        JSON.stringify(taraz.commitmentBlueprints),
      ],
    );
    await queryRunner.query(
      `UPDATE "templates" SET "current_version" = $2, "name" = $3, "updated_at" = now() WHERE "id" = $1`,
      [TARAZ_TEMPLATE_ID, next, taraz.name],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Only when the version this migration added is still the current one and no memorandum names it.
    await queryRunner.query(
      `WITH latest AS (
         SELECT t."id", t."current_version" FROM "templates" t
          WHERE t."id" = $1 AND t."current_version" > 1
            AND NOT EXISTS (SELECT 1 FROM "memoranda" m WHERE m."template_id" = t."id" AND m."template_version" = t."current_version")
       ), gone AS (
         DELETE FROM "template_versions" v USING latest
          WHERE v."template_id" = latest."id" AND v."version" = latest."current_version"
          RETURNING v."template_id"
       )
       UPDATE "templates" t SET "current_version" = t."current_version" - 1, "updated_at" = now()
         FROM gone WHERE t."id" = gone."template_id"`,
      [TARAZ_TEMPLATE_ID],
    );
  }
}
