/**
 * The API as users run it: `kelisim api` from dist/ in its own process, with a preload
 * (api-preload.js) that counts SQL statements and can profile a window. What a benchmark reads
 * from it: statements sent so far (IPC), CPU time spent so far (/proc/<pid>/stat, user + system),
 * so figures per request are the server's alone, its peak resident memory (/proc/<pid>/status),
 * and a CPU profile of a chosen window.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLOCK_TICKS_PER_SECOND = 100;

export interface ApiProcess {
  base: string;
  pid: number;
  /** SQL statements the API has sent since it started. */
  statements(): Promise<number>;
  /** CPU milliseconds (user + system) the API process has used since it started. */
  cpuMs(): number;
  /**
   * Peak resident memory in MB (VmHWM) of the API process and, with API_PROCESSES > 1, of the HTTP
   * processes it forked, summed; `{ total, each }` where `each` lists the processes' own peaks.
   */
  peakRssMb(): { total: number; each: number[] };
  /** Starts a V8 CPU profile; the returned function stops it and writes it to `file`. */
  profile(): Promise<(file: string) => Promise<void>>;
  stop(): Promise<void>;
}

export async function startApi(options: {
  databaseUrl: string;
  port: number;
  redisUrl?: string;
  /** Another built checkout to run (its bin/ and dist/), e.g. the code before a change; default this one. */
  root?: string;
  env?: Record<string, string>;
}): Promise<ApiProcess> {
  const root = options.root ?? ROOT;
  if (!existsSync(join(root, 'dist', 'apps', 'cli', 'src', 'main.js')))
    throw new Error(`Run \`npm run build\` first: the benchmark starts the API from ${join(root, 'dist')}`);
  // BENCH_API_FLAGS: node options for the API's command line, e.g. `--heap-growing-percent=0`.
  const flags = (process.env.BENCH_API_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const args = [...flags, '-r', join(__dirname, 'api-preload.js'), join(root, 'bin', 'kelisim.js'), 'api'];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl ?? '',
      PORT: String(options.port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      MIGRATIONS_RUN: 'false',
      LOGIN_RATE_LIMIT: '1000000',
      DATA_DIR: `/tmp/kelisim-bench-${options.port}`,
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${options.port}`;
  let ready = false;
  for (let i = 0; i < 240 && !ready && child.exitCode === null; i++) {
    ready = await fetch(`${base}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (!ready) await new Promise((r) => setTimeout(r, 250));
  }
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error('the API process did not become ready');
  }
  const pid = child.pid!;
  const ask = <T>(message: unknown, key: string) =>
    new Promise<T>((resolve) => {
      const on = (m: unknown) => {
        if (m && typeof m === 'object' && key in m) {
          child.off('message', on);
          resolve((m as Record<string, T>)[key]);
        }
      };
      child.on('message', on);
      child.send(message as string);
    });
  return {
    base,
    pid,
    statements: () => ask<number>('statements', 'statements'),
    profile: async () => {
      await ask<boolean>('profile:start', 'profiling');
      return async (file: string) => {
        await ask<string>({ profileStopTo: file }, 'profiled');
      };
    },
    peakRssMb: () => {
      const each = [pid, ...childrenOf(pid)]
        .map(peakKb)
        .filter((kb) => kb > 0)
        .map((kb) => kb / 1024);
      return { total: each.reduce((a, b) => a + b, 0), each };
    },
    // The API process and, with API_PROCESSES > 1, the HTTP processes it forked (its children).
    cpuMs: () => [pid, ...childrenOf(pid)].reduce((ms, p) => ms + (cpuMsOf(p) || 0), 0),
    stop: async () => {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** CPU milliseconds (user + system) process `pid` has used so far; NaN once it is gone. */
export function cpuMsOf(pid: number): number {
  // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
  const fields = statFields(pid);
  return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND : NaN;
}

/** /proc/<pid>/stat's fields after the command name, or undefined once the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** VmHWM (kB) of a process from /proc/<pid>/status, or 0 once it is gone. */
function peakKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Processes whose parent is `pid` (field 4 of /proc/<pid>/stat). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((p) => statFields(p)?.[1] === String(pid));
}
