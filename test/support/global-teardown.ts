import { admin } from './databases';

/** Drops this run's template and any database a crashed test file left behind. */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.KELISIM_TEST_RUN;
  if (!run) return;
  await admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
      [`kelisim\\_t\\_${run}\\_%`, `kelisim_tpl_${run}`],
    );
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
