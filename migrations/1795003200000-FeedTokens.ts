import { MigrationInterface, QueryRunner } from 'typeorm';

/** Calendar feed tokens (libs/commitments exports): hashed at rest, revocable. */
export class FeedTokens1795003200000 implements MigrationInterface {
  name = 'FeedTokens1795003200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "feed_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "token_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_4f2cb26346ee81a66e8d8bfa375" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "feed_tokens_user_idx" ON "feed_tokens"  ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "feed_tokens_hash_unique" ON "feed_tokens"  ("token_hash") `);
    await queryRunner.query(
      `ALTER TABLE "feed_tokens" ADD CONSTRAINT "FK_c6027c6f2cf5aadbda875809745" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "feed_tokens" DROP CONSTRAINT "FK_c6027c6f2cf5aadbda875809745"`);
    await queryRunner.query(`DROP INDEX "public"."feed_tokens_hash_unique"`);
    await queryRunner.query(`DROP INDEX "public"."feed_tokens_user_idx"`);
    await queryRunner.query(`DROP TABLE "feed_tokens"`);
  }
}
