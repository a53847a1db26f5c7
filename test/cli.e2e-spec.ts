import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from './support/cli';
import { createTestDatabase, dropTestDatabase, TEST_REDIS_URL } from './support/databases';

describe('kelisim command line', () => {
  it("prints package.json's version with --version, whatever the environment", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    for (const flag of ['--version', '-V']) {
      const r = runCli([flag], { PORT: 'eighty' });
      expect({ flag, status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
        flag,
        status: 0,
        stdout: `${version}\n`,
        stderr: '',
      });
    }
  });

  it('stops on a wrong variable with one line naming it', () => {
    const r = runCli(['doctor'], { PORT: 'eighty' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('PORT="eighty"')]);
    expect(r.stderr).toContain('integer');
  });

  it('says in one line that a configured Redis cannot be reached, and how to fix it', () => {
    const r = runCli(['api'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(r.status).toBe(3);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:1\/? is not reachable .*unset REDIS_URL/);
  });

  describe('on a real database', () => {
    let db: { name: string; url: string };
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => dropTestDatabase(db.name));

    it('creates the first admin once, then refuses a second one', () => {
      const env = { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, KELISIM_ADMIN_PASSWORD: 'Тараз-2021-admin' };
      const first = runCli(
        [
          'create-admin',
          '--email',
          'Admin@Kelisim.example.kz',
          '--name',
          'Әкімші',
          '--organisation',
          'Kelisim operator',
        ],
        env,
      );
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(first.stdout).toContain('Admin admin@kelisim.example.kz created');
      expect(first.stdout).not.toContain('Тараз-2021-admin');
      const second = runCli(['create-admin', '--email', 'other@kelisim.example.kz', '--name', 'Other'], env);
      expect(second.status).toBe(4);
      expect(second.stderr).toContain('an admin exists already');
    });

    it('doctor reports the database, migrations and queue backend', () => {
      const r = runCli(['doctor'], { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL });
      expect(r.stdout).toMatch(/ok {4}PostgreSQL 1\d/);
      expect(r.stdout).toContain('ok    Migrations: none pending');
      expect(r.stdout).toMatch(/ok {4}Queue backend: Redis at redis:\/\/127\.0\.0\.1:6379/);
      expect(r.stdout).toContain('warn  SMTP_URL is not set');
      // Node.js 20 still works, past its end of life; 22 and 24 draw no warning.
      const nodeMajor = Number(process.versions.node.split('.')[0]);
      expect(r.stdout.includes('warn  Node.js 20 reached end of life')).toBe(nodeMajor === 20);
      // No API or worker has started on this database: the seal is made by the first that does.
      expect(r.stdout).toContain('warn  Evidence seal: not made yet');
      expect(r.stdout).not.toContain('FAIL');
      expect(r.status).toBe(0);
    });
  });
});
