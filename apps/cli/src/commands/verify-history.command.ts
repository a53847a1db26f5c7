import { NestFactory } from '@nestjs/core';
import { HistoryService } from '@kelisim/history';
import { HistoryAudit } from '@kelisim/memoranda';
import { CliModule } from '../cli.module';
import { loadEnvironment, withInfrastructure } from '../processes';

interface Options {
  all?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Recomputes the hash chain of one memorandum's history (or of all: every memorandum and every
 * chain), checks the keyed MACs and that the chain ends where the memorandum is; one line each:
 * `ok` with the number of events and the hash of the newest one (worth writing down elsewhere:
 * a chain rewritten consistently by a holder of the history key still verifies, but no longer ends in that hash), or `BROKEN` with
 * the kind of break (docs/history.md) and the first seq that cannot be trusted. Exit code 1 when any chain is broken.
 */
export async function verifyHistory(memorandumId: string | undefined, options: Options): Promise<void> {
  if (!options.all && !memorandumId) {
    process.stderr.write('verify-history: name a memorandum id, or pass --all\n');
    process.exit(2);
  }
  if (memorandumId && !UUID.test(memorandumId)) {
    process.stderr.write(`verify-history: ${memorandumId} is not a memorandum id (UUID)\n`);
    process.exit(2);
  }
  const env = loadEnvironment();
  await withInfrastructure(env, async (infra) => {
    const app = await NestFactory.createApplicationContext(
      CliModule.forRoot({ ...infra.overrides, LOG_LEVEL: 'warn' }),
      { logger: ['error', 'warn'] },
    );
    try {
      await app.init();
      const history = app.get(HistoryService);
      const audit = app.get(HistoryAudit);
      const ids = options.all ? await audit.memorandumIds() : [memorandumId!];
      let broken = 0;
      for (const id of ids) {
        const result = await audit.verify(id);
        if (result.valid) {
          const last = result.events ? (await history.list(id)).at(-1)?.hash : undefined;
          process.stdout.write(
            `ok      ${id}  ${result.events} event(s)${last ? `, last hash ${last}` : ' (no history)'}\n`,
          );
        } else {
          broken++;
          process.stdout.write(`BROKEN  ${id}  ${result.kind} at seq ${result.brokenAtSeq}: ${result.reason}\n`);
        }
      }
      if (options.all) process.stdout.write(`${ids.length} chain(s) checked, ${broken} broken\n`);
      process.exitCode = broken ? 1 : 0;
    } finally {
      await app.close();
    }
  });
}
