/**
 * A worker process for the crash tests: boots the real WorkerModule (processors, no HTTP) with the
 * overrides in KELISIM_OVERRIDES and says "ready" on stdout. The test SIGKILLs it mid-batch. The
 * application comes from the build (compiled.ts).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { compiled } from './compiled';

const { WorkerModule } = compiled<typeof import('../../apps/worker/src/worker.module')>(
  'apps/worker/src/worker.module',
);

async function main() {
  const overrides = JSON.parse(process.env.KELISIM_OVERRIDES ?? '{}') as Record<string, string>;
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(overrides), { logger: ['error'] });
  await app.init();
  process.stdout.write('ready\n');
  const stop = () => void app.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
