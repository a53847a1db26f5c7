/**
 * An API or a worker process for the multi-process fault tests and drills: boots the real ApiModule
 * (HTTP on a port chosen by the system) or WorkerModule (processors, no HTTP) with the overrides in
 * KELISIM_OVERRIDES. Its Clock is a ManualClock that the parent moves over IPC, so that every
 * process of a test agrees on the time; it says `{ ready, port }` over IPC once it serves. The
 * application comes from the build (compiled.ts).
 */
import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { compiled } from './compiled';

const { ApiModule } = compiled<typeof import('../../apps/api/src/api.module')>('apps/api/src/api.module');
const { WorkerModule } = compiled<typeof import('../../apps/worker/src/worker.module')>(
  'apps/worker/src/worker.module',
);
const { Clock, ManualClock } = compiled<typeof import('@kelisim/platform')>('libs/platform/src');
const { configureHttpApp } = compiled<typeof import('@kelisim/platform/http-app')>('libs/platform/src/http-app');

export type ProcessRole = 'api' | 'worker';
export type ToChild = { type: 'clock'; at: string; seq: number };
export type FromChild = { type: 'ready'; port?: number } | { type: 'clock'; seq: number };

async function main() {
  const role = process.env.KELISIM_ROLE as ProcessRole;
  const overrides = JSON.parse(process.env.KELISIM_OVERRIDES ?? '{}') as Record<string, string>;
  const clock = new ManualClock(new Date(process.env.KELISIM_CLOCK ?? Date.now()));
  process.on('message', (m: ToChild) => {
    if (m.type !== 'clock') return;
    clock.set(m.at);
    process.send!({ type: 'clock', seq: m.seq } satisfies FromChild);
  });
  let app: INestApplicationContext;
  let port: number | undefined;
  if (role === 'api') {
    const moduleRef = await Test.createTestingModule({ imports: [ApiModule.forRoot(overrides)] })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    const http = moduleRef.createNestApplication({ bodyParser: false, bufferLogs: true });
    configureHttpApp(http, { bodyLimit: '1mb' });
    await http.listen(0, '127.0.0.1');
    port = (http.getHttpServer().address() as { port: number }).port;
    app = http;
  } else if (role === 'worker') {
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule.forRoot(overrides)] })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    app = await moduleRef.init();
  } else {
    throw new Error(`KELISIM_ROLE must be api or worker, not ${role}`);
  }
  process.send!({ type: 'ready', port } satisfies FromChild);
  const stop = () => void app.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop); // the parent went away: do not linger
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
