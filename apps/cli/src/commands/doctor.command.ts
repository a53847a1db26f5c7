import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { sealKeyFromP12 } from '@kelisim/evidence';
import { MIGRATIONS } from '@kelisim/migrations';
import {
  checkRedis,
  dataSourceOptions,
  Environment,
  pendingMigrations,
  queueBackendKind,
  redactUrl,
} from '@kelisim/platform';
import { loadEnvironment, withInfrastructure } from '../processes';

type Line = (ok: boolean, text: string, severity?: 'fail' | 'warn') => void;

/** The evidence seal's fingerprint: what people compare a sealed file's with (docs/evidence.md). */
async function sealLine(env: Environment, db: DataSource, line: Line): Promise<void> {
  if (env.EVIDENCE_SEAL_P12) {
    try {
      const seal = sealKeyFromP12(readFileSync(env.EVIDENCE_SEAL_P12), env.EVIDENCE_SEAL_PASSPHRASE ?? '');
      line(true, `Evidence seal: "${seal.subject}" (EVIDENCE_SEAL_P12), certificate SHA-256 ${seal.fingerprint}`);
    } catch (e) {
      line(false, `Evidence seal: EVIDENCE_SEAL_P12 cannot be read: ${(e as Error).message}`);
    }
    return;
  }
  try {
    const rows: Array<{ subject: string; fingerprint: string }> = await db.query(
      'SELECT subject, fingerprint FROM evidence_seal_keys WHERE id = 1',
    );
    line(
      rows.length > 0,
      rows.length
        ? `Evidence seal: "${rows[0].subject}" (made by this installation), certificate SHA-256 ${rows[0].fingerprint}`
        : 'Evidence seal: not made yet; the first start of the API or the worker makes it',
      'warn',
    );
  } catch (e) {
    line(false, `Evidence seal: cannot be read (${(e as Error).message})`, 'warn');
  }
}

/** Checks the environment and prints one line per check; exit code 1 when any fails. */
export async function doctor(): Promise<void> {
  const env = loadEnvironment();
  let failed = false;
  const line = (ok: boolean, text: string, severity: 'fail' | 'warn' = 'fail') => {
    if (!ok && severity === 'fail') failed = true;
    process.stdout.write(`${ok ? 'ok  ' : severity === 'fail' ? 'FAIL' : 'warn'}  ${text}\n`);
  };
  const [major, minor] = process.versions.node.split('.').map(Number);
  const supported = major > 20 || (major === 20 && minor >= 19);
  line(supported, `Node.js ${process.versions.node} (needs 20.19 or newer)`);
  // Still supported, but no longer maintained upstream; 24 is the LTS line the project is tested on too.
  if (supported && major < 22)
    line(false, `Node.js ${major} reached end of life on 30 April 2026: Node.js 24 LTS is recommended`, 'warn');
  line(true, 'Configuration is valid');
  await withInfrastructure(env, async (infra) => {
    const db = new DataSource(dataSourceOptions(infra.databaseUrl, [], MIGRATIONS));
    try {
      await db.initialize();
      const [{ server_version: version }] = await db.query('SHOW server_version');
      line(
        Number(version.split('.')[0]) >= 15,
        `PostgreSQL ${version} at ${redactUrl(infra.databaseUrl)}${infra.embedded ? ' (embedded)' : ''}`,
      );
      const pending = await pendingMigrations(db);
      line(
        pending.length === 0,
        pending.length
          ? `${pending.length} pending migration(s): ${pending.join(', ')} — run \`kelisim migrate\``
          : 'Migrations: none pending',
      );
      await sealLine(env, db, line);
    } catch (e) {
      line(false, `PostgreSQL: ${(e as Error).message}`);
    } finally {
      if (db.isInitialized) await db.destroy();
    }
    if (queueBackendKind(env) === 'redis') {
      const redis = await checkRedis(env.REDIS_URL!);
      line(
        redis.ok,
        redis.ok
          ? `Queue backend: Redis at ${redactUrl(env.REDIS_URL!)}, maxmemory-policy ${redis.maxmemoryPolicy ?? 'unknown'}`
          : `Queue backend: Redis at ${redactUrl(env.REDIS_URL!)}: ${redis.error}`,
      );
      if (redis.ok && redis.maxmemoryPolicy && redis.maxmemoryPolicy !== 'noeviction')
        line(false, 'Redis maxmemory-policy must be noeviction for BullMQ');
    } else {
      line(true, 'Queue backend: PostgreSQL (BullMQ schema migrated)');
    }
    line(
      !!env.SMTP_URL,
      env.SMTP_URL
        ? `SMTP: ${redactUrl(env.SMTP_URL)}`
        : 'SMTP_URL is not set: e-mail notifications are not sent (the in-app inbox still works)',
      'warn',
    );
  }).catch((e: unknown) => line(false, (e as Error).message));
  process.exitCode = failed ? 1 : 0;
}
