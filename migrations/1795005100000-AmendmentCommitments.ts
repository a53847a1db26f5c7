import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Text commitments changed through an amendment (docs/follow-up.md): the open amendment's draft set, and the
 * revision that removed a commitment from the text. Adds only; every existing revision hash is unchanged.
 */
export class AmendmentCommitments1795005100000 implements MigrationInterface {
  name = 'AmendmentCommitments1795005100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "amendment_commitment_drafts" ("memorandum_id" uuid NOT NULL, "amendment_seq" integer NOT NULL, "items" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_02e8c5535ae8217a0b357d680df" PRIMARY KEY ("memorandum_id"))`,
    );
    await queryRunner.query(`ALTER TABLE "commitments" ADD "removed_in_revision" integer`);
    await queryRunner.query(
      `ALTER TABLE "amendment_commitment_drafts" ADD CONSTRAINT "FK_02e8c5535ae8217a0b357d680df" FOREIGN KEY ("memorandum_id") REFERENCES "memoranda"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "amendment_commitment_drafts" DROP CONSTRAINT "FK_02e8c5535ae8217a0b357d680df"`,
    );
    await queryRunner.query(`ALTER TABLE "commitments" DROP COLUMN "removed_in_revision"`);
    await queryRunner.query(`DROP TABLE "amendment_commitment_drafts"`);
  }
}
