import cluster from 'node:cluster';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import {
  configureHttpApp,
  clusterRole,
  ConfigurationError,
  Environment,
  Infrastructure,
  InfrastructureError,
  prepareInfrastructure,
  reportClusterReady,
  validateEnvironment,
} from '@kelisim/platform';
import { ApiModule } from '../../api/src/api.module';
import { ProcessorsModule } from '../../worker/src/processors.module';
import { WorkerModule } from '../../worker/src/worker.module';
import { superviseApiProcesses } from './api-cluster';

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
async function prepareOrExit(env: Environment): Promise<Infrastructure> {
  try {
    return await prepareInfrastructure(env, bootLog);
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
  const env = loadEnvironment();
  const infra = await prepareOrExit(env);
  // API_PROCESSES > 1: this process supervises that many HTTP processes (api-cluster.ts), which
  // come back here as cluster workers with the role they were forked for.
  if (command !== 'worker' && env.API_PROCESSES > 1 && cluster.isPrimary)
    return superviseApiProcesses(env, command, infra, bootLog);
  const kind: ProcessKind = clusterRole() ?? command;
  let app: INestApplicationContext;
  if (kind === 'worker') {
    app = await NestFactory.createApplicationContext(WorkerModule.forRoot(infra.overrides), { bufferLogs: true });
    app.useLogger(app.get(Logger));
    await app.init();
  } else {
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
