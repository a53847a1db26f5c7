import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook secrets are stored sealed (AES-256-GCM, `v1:iv:tag:data`), longer than the plain
 * 200-character secret. No sealed-less deployment exists yet, so nothing is converted.
 */
export class SealedWebhookSecrets1795000600000 implements MigrationInterface {
  name = 'SealedWebhookSecrets1795000600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhooks" ALTER COLUMN "secret" TYPE text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhooks" ALTER COLUMN "secret" TYPE character varying(200)`);
  }
}
