/**
 * `kelisim demo` signs a dozen people in from one address. Run twice in a row on one database and
 * one Redis it must not stop on its own sign-ins: successful logins do not count toward any limit
 * (the shipped defaults here, not the test app's lifted ones).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli';
import { createTestDatabase, dropTestDatabase, TEST_REDIS_URL } from './support/databases';

describe('kelisim demo, twice in a row', () => {
  let db: { name: string; url: string };
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'kelisim-demo-'));
  });
  afterAll(async () => {
    await dropTestDatabase(db.name);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('both runs finish: no 429 on the second run’s sign-ins', () => {
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `kd_${randomBytes(4).toString('hex')}`,
      DATA_DIR: dataDir,
    };
    for (const run of [1, 2]) {
      const r = runCli(['demo'], env);
      // `→ 429` as the demo reports a refused step, or the code; not "429" inside a hash or an id.
      const refused = /(?<![0-9a-f-])429(?![0-9a-f-])|login_throttled/.test(r.stdout + r.stderr);
      expect({ run, status: r.status, refused, output: refused ? r.stdout + r.stderr : '' }).toEqual({
        run,
        status: 0,
        refused: false,
        output: '',
      });
    }
  });
});
