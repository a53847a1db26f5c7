import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * RFC 3161 signature timestamps of digital signatures (docs/signatures.md, SIGNATURE_TSA_URL): the
 * TimeStampToken over the signature value (also embedded in `cms` as id-aa-signatureTimeStampToken)
 * and its genTime. Only a digital signature carries one.
 */
export class SignatureTimestamps1795016000000 implements MigrationInterface {
  name = 'SignatureTimestamps1795016000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "memorandum_signatures" ADD "timestamp_token" bytea`);
    await queryRunner.query(`ALTER TABLE "memorandum_signatures" ADD "timestamp_gen_time" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "memorandum_signatures" ADD CONSTRAINT "memorandum_signatures_timestamp_check" CHECK (("timestamp_token" IS NULL) = ("timestamp_gen_time" IS NULL) AND ("timestamp_token" IS NULL OR "method" = 'digital'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "memorandum_signatures" DROP CONSTRAINT "memorandum_signatures_timestamp_check"`,
    );
    await queryRunner.query(`ALTER TABLE "memorandum_signatures" DROP COLUMN "timestamp_gen_time"`);
    await queryRunner.query(`ALTER TABLE "memorandum_signatures" DROP COLUMN "timestamp_token"`);
  }
}
