import { MigrationInterface, QueryRunner } from 'typeorm';
// Relative paths: the migrations are also loaded by jest's globalSetup, which has no module mapper for the aliases.
// eslint-disable-next-line no-restricted-imports -- see above
import { eventMac, headMac } from '../libs/history/src/history-chain';
// eslint-disable-next-line no-restricted-imports -- see above
import { resolveHistoryKey } from '../libs/platform/src/secrets/secret-box';

/**
 * A keyed MAC (HMAC-SHA256 under a key kept outside the database) beside each event's public hash
 * and on each chain head. Existing events and heads are sealed here, once, with the key this
 * process is configured with (HISTORY_KEY, else derived from SECRETS_KEY or DATA_DIR/secrets.key,
 * read from the environment): chains that verify before this migration verify after it. Run
 * `kelisim verify-history --all` before migrating if in doubt: what is in the table now is what
 * gets sealed. The key is needed only when there is something to seal.
 */
export class HistoryMac1795002200000 implements MigrationInterface {
  name = 'HistoryMac1795002200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "history_events" ADD "mac" character(64)`);
    await queryRunner.query(`ALTER TABLE "history_heads" ADD "mac" character(64)`);
    const [{ n }] = await queryRunner.query(
      `SELECT (SELECT count(*) FROM history_events) + (SELECT count(*) FROM history_heads) AS n`,
    );
    if (Number(n) > 0) {
      const key = resolveHistoryKey(process.env);
      const events: Array<{ id: string; hash: string }> = await queryRunner.query(
        `SELECT id, hash FROM history_events`,
      );
      for (let i = 0; i < events.length; i += 1000) {
        const batch = events.slice(i, i + 1000);
        await queryRunner.query(
          `UPDATE history_events e SET mac = v.mac FROM unnest($1::uuid[], $2::text[]) AS v(id, mac) WHERE e.id = v.id`,
          [batch.map((e) => e.id), batch.map((e) => eventMac(key, e.hash))],
        );
      }
      const heads: Array<{ memorandum_id: string; last_seq: number; last_hash: string }> = await queryRunner.query(
        `SELECT memorandum_id, last_seq, last_hash FROM history_heads`,
      );
      for (let i = 0; i < heads.length; i += 1000) {
        const batch = heads.slice(i, i + 1000);
        await queryRunner.query(
          `UPDATE history_heads h SET mac = v.mac FROM unnest($1::uuid[], $2::text[]) AS v(id, mac) WHERE h.memorandum_id = v.id`,
          [batch.map((h) => h.memorandum_id), batch.map((h) => headMac(key, h.memorandum_id, h.last_seq, h.last_hash))],
        );
      }
    }
    await queryRunner.query(`ALTER TABLE "history_events" ALTER COLUMN "mac" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "history_heads" ALTER COLUMN "mac" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "history_events" ADD CONSTRAINT "history_events_mac_check" CHECK ("mac" ~ '^[0-9a-f]{64}$')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "history_events" DROP CONSTRAINT "history_events_mac_check"`);
    await queryRunner.query(`ALTER TABLE "history_heads" DROP COLUMN "mac"`);
    await queryRunner.query(`ALTER TABLE "history_events" DROP COLUMN "mac"`);
  }
}
