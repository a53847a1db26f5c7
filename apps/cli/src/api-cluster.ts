/**
 * `API_PROCESSES` > 1: the command's process becomes a supervisor (node:cluster primary) that
 * prepares the infrastructure once (the embedded PostgreSQL, Redis check, the queue schema),
 * then forks that many HTTP processes listening on the same port. The first one applies pending
 * migrations (and, for `kelisim start`, also runs the worker's processors); the others start once
 * it is ready, with MIGRATIONS_RUN=false. A process that dies is started again; a crash loop
 * stops the service. SIGINT/SIGTERM are passed on, and the supervisor waits for every process to
 * finish its in-flight requests and jobs before it stops the embedded PostgreSQL.
 *
 * Prometheus: the HTTP histogram and the process metrics live in each process; the supervisor
 * gathers them for whichever process is scraped (see `clusterLocalMetrics`).
 */
import cluster, { Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import {
  CLUSTER_ROLE_VARIABLE,
  ClusterMessage,
  ClusterRole,
  Environment,
  Infrastructure,
  isClusterMessage,
  ProcessMetrics,
} from '@kelisim/platform';

const CRASHES_ALLOWED = 5;
const CRASH_WINDOW_MS = 60_000;
const STOP_GRACE_MS = 30_000;

export async function superviseApiProcesses(
  env: Environment,
  kind: ClusterRole,
  infra: Infrastructure,
  log: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  const roles = new Map<Worker, ClusterRole>();
  let stopping = false;
  const crashes: number[] = [];

  const fork = (role: ClusterRole, migrate: boolean): Worker => {
    const worker = cluster.fork({
      ...infra.overrides,
      [CLUSTER_ROLE_VARIABLE]: role,
      ...(migrate ? {} : { MIGRATIONS_RUN: 'false' }),
    });
    roles.set(worker, role);
    worker.on('message', (m: unknown) => {
      if (isClusterMessage(m) && m.kelisim === 'metrics:request') void answerMetrics(worker, m.id);
    });
    return worker;
  };
  const ready = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const onMessage = (m: unknown) => {
        if (isClusterMessage(m) && m.kelisim === 'ready') {
          worker.off('exit', onExit);
          worker.off('message', onMessage);
          resolve();
        }
      };
      const onExit = (code: number | null) =>
        reject(new Error(`an API process exited with code ${code} while starting`));
      worker.on('message', onMessage);
      worker.once('exit', onExit);
    });

  // Metrics: ask every process for its own, answer the scraped one with their sum. A process that
  // does not answer within 2 s (starting, stuck) is left out of that scrape.
  let nextId = 0;
  const answerMetrics = async (asker: Worker, askerId: number) => {
    const alive = [...roles.keys()].filter((w) => w.isConnected());
    const id = nextId++;
    const answers: ProcessMetrics[] = [];
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        for (const w of alive) w.off('message', collect);
        resolve();
      };
      const timer = setTimeout(done, 2_000);
      const collect = (m: unknown) => {
        if (!isClusterMessage(m) || m.kelisim !== 'metrics:local' || m.id !== id) return;
        answers.push(m.metrics);
        if (answers.length === alive.length) done();
      };
      for (const w of alive) {
        w.on('message', collect);
        w.send({ kelisim: 'metrics:collect', id } satisfies ClusterMessage);
      }
    });
    let answer: ClusterMessage;
    try {
      answer = { kelisim: 'metrics:answer', id: askerId, text: await AggregatorRegistry.aggregate(answers).metrics() };
    } catch (e) {
      answer = { kelisim: 'metrics:answer', id: askerId, error: String(e) };
    }
    if (asker.isConnected()) asker.send(answer);
  };

  cluster.on('exit', (worker, code, signal) => {
    const role = roles.get(worker);
    roles.delete(worker);
    if (stopping || !role) return;
    const now = Date.now();
    crashes.push(now);
    while (crashes.length && crashes[0] < now - CRASH_WINDOW_MS) crashes.shift();
    if (crashes.length > CRASHES_ALLOWED) {
      log(`API processes crashed ${crashes.length} times in a minute: stopping`);
      void stop('crash loop', 1);
      return;
    }
    log(`an API process (${role}) exited (${signal ?? `code ${code}`}): starting another`);
    fork(role, false);
  });

  const stop = async (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    log(`${reason}: stopping ${roles.size} API processes`);
    const force = setTimeout(() => {
      for (const w of roles.keys()) w.process.kill('SIGKILL');
    }, STOP_GRACE_MS);
    force.unref();
    const exited = [...roles.keys()].map(
      (w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))),
    );
    for (const w of roles.keys()) w.process.kill('SIGTERM');
    await Promise.all(exited);
    await infra.stop();
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop('SIGINT received'));
  process.on('SIGTERM', () => void stop('SIGTERM received'));

  try {
    // The first process migrates (under the migrations' advisory lock) before the others start.
    await ready(fork(kind, true));
    const rest: Worker[] = [];
    for (let i = 1; i < env.API_PROCESSES; i++) rest.push(fork('api', false));
    await Promise.all(rest.map(ready));
  } catch (e) {
    if (stopping) return; // a signal came while the processes started: stop() is at work
    log(`${(e as Error).message}: stopping`);
    await stop('start-up failed', 1);
    return;
  }
  log(
    `Kelisim ${kind === 'all' ? 'api + worker' : 'api'} ready in ${Date.now() - started} ms: ${env.API_PROCESSES} HTTP processes on http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT} (docs: /docs); queue backend: ${infra.backend}`,
  );
}
