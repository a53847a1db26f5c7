import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { admin } from './databases';
import { countsDir } from './openapi-validator';

/** Drops this run's template and any database a crashed test file left behind. */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.KELISIM_TEST_RUN;
  if (!run) return;
  reportValidatedAnswers(run);
  await admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
      [`kelisim\\_t\\_${run}\\_%`, `kelisim_tpl_${run}`],
    );
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}

/** Adds up the per-file counts of openapi-validator.ts and prints them (CI shows the line). */
function reportValidatedAnswers(run: string): void {
  const dir = countsDir(run);
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return;
  }
  const total = { validated: 0, undocumented: 0 };
  for (const f of files) {
    const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as typeof total;
    total.validated += c.validated;
    total.undocumented += c.undocumented;
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    `\nOpenAPI: ${total.validated} e2e answers validated against openapi.json ` +
      `(${total.undocumented} from routes outside the API: queue dashboard, docs)\n`,
  );
}
