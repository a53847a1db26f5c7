import { NestFactory } from '@nestjs/core';
import { HistoryService } from '@kelisim/history';
import { CliModule } from '../cli.module';
import { loadEnvironment, withInfrastructure } from '../processes';

interface Options {
  all?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Recomputes the hash chain of one memorandum's history (or of all) and prints one line each:
 * `ok` with the number of events and the hash of the newest one (worth writing down elsewhere:
 * a chain rewritten wholesale still verifies, but no longer ends in that hash), or `BROKEN` with
 * the first seq that cannot be trusted. Exit code 1 when any chain is broken.
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
      const ids = options.all ? await history.memorandumIds() : [memorandumId!];
      let broken = 0;
      for (const id of ids) {
        const result = await history.verify(id);
        if (result.valid) {
          const last = result.events ? (await history.list(id)).at(-1)?.hash : undefined;
          process.stdout.write(
            `ok      ${id}  ${result.events} event(s)${last ? `, last hash ${last}` : ' (no history)'}\n`,
          );
        } else {
          broken++;
          process.stdout.write(`BROKEN  ${id}  at seq ${result.brokenAtSeq}: ${result.reason}\n`);
        }
      }
      if (options.all) process.stdout.write(`${ids.length} chain(s) checked, ${broken} broken\n`);
      process.exitCode = broken ? 1 : 0;
    } finally {
      await app.close();
    }
  });
}
