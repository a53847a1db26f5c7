/**
 * API_PROCESSES > 1: `kelisim start` supervises that many HTTP processes on one port (node:cluster);
 * the first one also runs the worker. Metrics kept per process are summed over all of them, a
 * process that dies is replaced, and SIGTERM stops every one of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { freePort, runCli, startCli, waitForOk } from './support/cli';
import { createTestDatabase, dropTestDatabase, TEST_REDIS_URL } from './support/databases';

jest.setTimeout(180_000);

/** Processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(pid)) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('several HTTP processes on one port (API_PROCESSES)', () => {
  let db: { name: string; url: string };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => dropTestDatabase(db.name));

  it('serves from every process, sums their metrics, replaces a killed one and stops them all', async () => {
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      KELISIM_ADMIN_PASSWORD: 'Тараз-2021-processes',
      API_PROCESSES: '2',
      SECRETS_KEY: 'a'.repeat(64),
    };
    expect(runCli(['create-admin', '--email', 'admin@kelisim.example.kz', '--name', 'Әкімші'], env).status).toBe(0);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const service = startCli(['start'], { ...env, PORT: String(port) });
    try {
      await waitForOk(`${base}/health/ready`, service);
      await until('the ready line', () =>
        /ready in \d+ ms: 2 HTTP processes/.test(service.output()) ? true : undefined,
      );
      const first = childrenOf(service.child.pid!);
      expect(first).toHaveLength(2);
      expect(service.output()).toMatch(/HTTP process \d+ \(api \+ worker\) ready/);
      expect(service.output()).toMatch(/HTTP process \d+ \(api\) ready/);

      const login = await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'admin@kelisim.example.kz', password: env.KELISIM_ADMIN_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };

      // Connections are handed to the processes in turn: 20 requests reach both, and the histogram
      // of whichever process answers the scrape counts all 20.
      for (let i = 0; i < 20; i++) expect((await fetch(`${base}/health`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${token}` } })).text();
      expect(metrics).toContain(
        'kelisim_http_request_duration_seconds_count{method="GET",route="/health",status="200"} 20',
      );
      expect(metrics).toMatch(/^kelisim_transitions_total|^# HELP kelisim_transitions_total/m);

      // A killed process is replaced; the port keeps answering.
      process.kill(first[1], 'SIGKILL');
      const replaced = await until('a new HTTP process', () => {
        const now = childrenOf(service.child.pid!);
        return now.length === 2 && !now.includes(first[1]) ? now : undefined;
      });
      expect(replaced).toContain(first[0]);
      await until('the new process to be ready', () =>
        /HTTP process \d+ \(api\) ready[\s\S]*HTTP process \d+ \(api\) ready/.test(service.output()) ? true : undefined,
      );
      expect(service.output()).toContain('exited (SIGKILL): starting another');
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);

      const children = childrenOf(service.child.pid!);
      expect(await service.stop('SIGTERM')).toBe(0);
      for (const pid of children) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      if (service.child.exitCode === null) {
        for (const pid of childrenOf(service.child.pid!)) process.kill(pid, 'SIGKILL');
        await service.stop('SIGKILL');
      }
    }
  });
});
