import { MigrationInterface, QueryRunner } from 'typeorm';

/** Bytes per row of evidence_blob_chunks: what one INSERT sends and one SELECT reads back. */
const EVIDENCE_CHUNK_BYTES = 512 * 1024;

/**
 * Evidence bytes move from one bytea value per file (written and read whole: a 10 MB file was
 * 10 MB and more of the API's memory on each upload and download) to rows of 512 KiB in
 * `evidence_blob_chunks`, written and read one at a time. Existing files are cut into chunks
 * in the migration's transaction; `down` joins them again.
 */
export class EvidenceChunks1795007100000 implements MigrationInterface {
  name = 'EvidenceChunks1795007100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "evidence_blob_chunks" ("sha256" character(64) NOT NULL, "seq" integer NOT NULL, "bytes" bytea NOT NULL, CONSTRAINT "PK_43b1976c71d2123ef8542f5b624" PRIMARY KEY ("sha256", "seq"))`,
    );
    await queryRunner.query(
      `INSERT INTO "evidence_blob_chunks" ("sha256", "seq", "bytes")
       SELECT b."sha256", n, substring(b."content" FROM n * ${EVIDENCE_CHUNK_BYTES} + 1 FOR ${EVIDENCE_CHUNK_BYTES})
         FROM "evidence_blobs" b, generate_series(0, (length(b."content") - 1) / ${EVIDENCE_CHUNK_BYTES}) n
        WHERE length(b."content") > 0`,
    );
    await queryRunner.query(`ALTER TABLE "evidence_blobs" DROP COLUMN "content"`);
    await queryRunner.query(
      `ALTER TABLE "evidence_blob_chunks" ADD CONSTRAINT "FK_46492eca00dbfecf3140c4ec819" FOREIGN KEY ("sha256") REFERENCES "evidence_blobs"("sha256") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "evidence_blob_chunks" DROP CONSTRAINT "FK_46492eca00dbfecf3140c4ec819"`);
    await queryRunner.query(`ALTER TABLE "evidence_blobs" ADD "content" bytea`);
    await queryRunner.query(
      `UPDATE "evidence_blobs" b SET "content" = coalesce(
         (SELECT string_agg(c."bytes", ''::bytea ORDER BY c."seq") FROM "evidence_blob_chunks" c WHERE c."sha256" = b."sha256"),
         ''::bytea)`,
    );
    await queryRunner.query(`ALTER TABLE "evidence_blobs" ALTER COLUMN "content" SET NOT NULL`);
    await queryRunner.query(`DROP TABLE "evidence_blob_chunks"`);
  }
}
