// pgbench's transaction of the transitions benchmark (bench/transitions.bench.ts), for the two
// reference servers (bare-transition-server.js, nest-transition-server.js): BEGIN, lock a row,
// update it, insert two rows, COMMIT — named prepared statements on a `pg` pool of 10.
const { Pool } = require('pg');

function pgbenchTransaction(url) {
  const pool = new Pool({ connectionString: url, max: 10 });
  const statement = (name, text) => (client, values) => client.query({ name, text, values });
  const lock = statement('bare_lock', 'SELECT version FROM bench_rows WHERE id = $1 FOR UPDATE');
  const update = statement('bare_update', 'UPDATE bench_rows SET version = version + 1 WHERE id = $1');
  const history = statement(
    'bare_history',
    "INSERT INTO bench_history (row_id, payload) VALUES ($1, repeat('x', 300))",
  );
  const outbox = statement(
    'bare_outbox',
    `INSERT INTO bench_outbox (row_id, payload) VALUES ($1, '{"memorandumId": 1}')`,
  );
  async function run() {
    const id = 1 + Math.floor(Math.random() * 1000);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await lock(client, [id]);
      await update(client, [id]);
      await history(client, [id]);
      await outbox(client, [id]);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
  return { run, end: () => pool.end() };
}

module.exports = { pgbenchTransaction };
