import cluster from 'node:cluster';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import {
  clusterRole,
  ConfigurationError,
  Environment,
  Infrastructure,
  InfrastructureError,
  prepareInfrastructure,
  reportClusterReady,
  validateEnvironment,
} from '@kelisim/platform';
import { superviseApiProcesses } from './api-cluster';
import { limitHeapGrowth } from './heap-growth';

/** A JSON log line in pino's shape, for what happens before the app's logger exists. */
export function bootLog(msg: string): void {
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), context: 'Bootstrap', msg })}\n`);
}

/** Validated configuration, or one line per wrong variable and exit code 2. */
export function loadEnvironment(): Environment {
  try {
    return validateEnvironment(process.env);
  } catch (e) {
    if (e instanceof ConfigurationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

/** The database (embedded or not) and the queue backend, or one line saying what is missing and exit code 3. */
async function prepareOrExit(env: Environment, onBooting?: () => void): Promise<Infrastructure> {
  try {
    return await prepareInfrastructure(env, bootLog, onBooting);
  } catch (e) {
    if (e instanceof InfrastructureError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(3);
    }
    throw e;
  }
}

export async function withInfrastructure<T>(env: Environment, work: (infra: Infrastructure) => Promise<T>): Promise<T> {
  const infra = await prepareOrExit(env);
  try {
    return await work(infra);
  } finally {
    await infra.stop();
  }
}

export type ProcessKind = 'all' | 'api' | 'worker';

/** Starts a long-running process and stops it cleanly on SIGINT/SIGTERM (in-flight jobs finish first). */
export async function runProcess(command: ProcessKind): Promise<void> {
  const started = Date.now();
  limitHeapGrowth(); // before the app's modules load: V8 reads it at each full collection (heap-growth.ts)
  const env = loadEnvironment();
  // API_PROCESSES > 1: this process supervises that many HTTP processes (api-cluster.ts), which
  // come back here as cluster workers with the role they were forked for.
  if (command !== 'worker' && env.API_PROCESSES > 1 && cluster.isPrimary)
    return superviseApiProcesses(env, command, await prepareOrExit(env), bootLog);
  const kind: ProcessKind = clusterRole() ?? command;
  // The app's modules are loaded once the configuration is known to be valid, and only the ones
  // this process runs (a worker process never loads the API's controllers and libraries); they
  // are compiled while an embedded PostgreSQL boots in its own process, most of a restart's wait.
  let booting = () => undefined as void;
  const databaseBooting = new Promise<void>((resolve) => (booting = resolve));
  const preparing = prepareOrExit(env, booting);
  await Promise.race([databaseBooting, preparing]);
  let app: INestApplicationContext;
  let infra: Infrastructure;
  if (kind === 'worker') {
    const { WorkerModule } = await import('../../worker/src/worker.module');
    infra = await preparing;
    app = await NestFactory.createApplicationContext(WorkerModule.forRoot(infra.overrides), { bufferLogs: true });
    app.useLogger(app.get(Logger));
    await app.init();
  } else {
    const { ApiModule } = await import('../../api/src/api.module');
    const { ProcessorsModule } = await import('../../worker/src/processors.module');
    const { configureHttpApp } = await import('@kelisim/platform/http-app');
    infra = await preparing;
    const http = await NestFactory.create(
      ApiModule.forRoot(infra.overrides, { mount: kind === 'all' ? [ProcessorsModule] : [] }),
      { bodyParser: false, bufferLogs: true },
    );
    configureHttpApp(http, { bodyLimit: env.BODY_LIMIT });
    await http.listen(env.PORT, env.HOST);
    app = http;
  }
  reportClusterReady();
  if (cluster.isWorker)
    bootLog(
      `HTTP process ${process.pid} (${kind === 'all' ? 'api + worker' : kind}) ready in ${Date.now() - started} ms`,
    );
  else
    bootLog(
      `Kelisim ${kind === 'all' ? 'api + worker' : kind} ready in ${Date.now() - started} ms${kind !== 'worker' ? ` on http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT} (docs: /docs)` : ''}; queue backend: ${infra.backend}`,
    );

  let stopping = false;
  // Ctrl-C in a terminal signals the whole process group, so an embedded PostgreSQL stops at once
  // and drops the connections the workers are closing: expected while stopping, not a crash.
  process.on('uncaughtException', (err: Error & { code?: string }) => {
    if (stopping && (err.code === '57P01' || err.code === 'ECONNRESET' || /Connection terminated/.test(err.message)))
      return;
    process.stderr.write(`${err.stack ?? String(err)}\n`);
    process.exit(1);
  });
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    bootLog(`${signal} received: stopping`);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    try {
      await app.close();
      await infra.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
