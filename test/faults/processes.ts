/**
 * Real API and worker child processes (test/faults/process-child.ts) on one database and one queue
 * prefix, sharing a clock the parent moves: the multi-process fault test and the long drills in
 * bench/faults.bench.ts use them.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { FromChild, ProcessRole } from './process-child';

const ROOT = join(__dirname, '..', '..');

export interface KelisimProcess {
  role: ProcessRole;
  child: ChildProcess;
  /** http://127.0.0.1:<port> for an API process. */
  url?: string;
  setClock(at: Date): Promise<void>;
  /** SIGKILL: no shutdown hook runs. */
  kill(): Promise<void>;
  /** SIGTERM: in-flight work finishes, queues close. */
  stop(): Promise<void>;
}

export interface ProcessOptions {
  overrides: Record<string, string>;
  /** The time the child's clock starts at. */
  clock: Date;
  /** Extra process environment (e.g. WORKER_LOCK_DURATION_MS). */
  env?: Record<string, string>;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function end(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (exited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export async function startProcess(role: ProcessRole, options: ProcessOptions): Promise<KelisimProcess> {
  const child = fork(join(__dirname, 'process-child.ts'), [], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    // ts-node compiles this one file; the application comes from the build (compiled.ts).
    execArgv: ['-r', 'ts-node/register'],
    env: {
      ...process.env,
      TS_NODE_TRANSPILE_ONLY: '1',
      KELISIM_ROLE: role,
      KELISIM_OVERRIDES: JSON.stringify(options.overrides),
      KELISIM_CLOCK: options.clock.toISOString(),
      ...options.env,
    },
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  const port = await new Promise<number | undefined>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${role} process exited with ${code}: ${err}`));
    child.once('exit', onExit);
    child.on('message', (m: FromChild) => {
      if (m.type === 'ready') {
        child.off('exit', onExit);
        resolve(m.port);
      }
    });
  });
  let seq = 0;
  return {
    role,
    child,
    url: port ? `http://127.0.0.1:${port}` : undefined,
    setClock(at: Date) {
      if (exited(child)) return Promise.resolve();
      const mine = ++seq;
      return new Promise<void>((resolve) => {
        const onMessage = (m: FromChild) => {
          if (m.type === 'clock' && m.seq === mine) {
            child.off('message', onMessage);
            resolve();
          }
        };
        child.on('message', onMessage);
        child.send({ type: 'clock', at: at.toISOString(), seq: mine });
      });
    },
    kill: () => end(child, 'SIGKILL'),
    stop: () => end(child, 'SIGTERM'),
  };
}

/** Moves the clock of every live process (and of the caller's own app, if given) and waits until each has it. */
export async function moveClock(processes: KelisimProcess[], at: Date, own?: { set(at: Date): void }): Promise<void> {
  own?.set(at);
  await Promise.all(processes.map((p) => p.setClock(at)));
}

/** A small HTTP client for a child API that counts answers by status (a 5xx anywhere fails a test). */
export class ApiClient {
  readonly statuses = new Map<number, number>();

  constructor(readonly baseUrl: string) {}

  async call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000), // a hung request fails rather than the run
    });
    this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1);
    const text = await res.text();
    let json: any = text;
    try {
      json = JSON.parse(text);
    } catch {
      // kept as text
    }
    return { status: res.status, body: json };
  }

  /** Like `call`, but throws unless the status is the expected one. */
  async expect(status: number, method: string, path: string, token?: string, body?: unknown): Promise<any> {
    const res = await this.call(method, path, token, body);
    if (res.status !== status)
      throw new Error(`${method} ${path} via ${this.baseUrl}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
    return res.body;
  }

  serverErrors(): number {
    return [...this.statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  }
}
