// The transitions benchmark's second reference (bench/transitions.bench.ts): a bare node:http
// server that runs pgbench's transaction for every POST — BEGIN, lock a row, update it, insert two
// rows, COMMIT, as named prepared statements on a pool of 10 — and answers 201 with a small JSON
// body. No framework, no authentication, no validation: what Node, its HTTP server and the `pg`
// driver cost on this machine for the same SQL, driven by the same load generator as the API.
// argv: database URL, port. Says `ready` on stdout once listening.
const http = require('node:http');
const { Pool } = require('pg');

const [url, port] = process.argv.slice(2);
const pool = new Pool({ connectionString: url, max: 10 });
const statement = (name, text) => (client, values) => client.query({ name, text, values });
const lock = statement('bare_lock', 'SELECT version FROM bench_rows WHERE id = $1 FOR UPDATE');
const update = statement('bare_update', 'UPDATE bench_rows SET version = version + 1 WHERE id = $1');
const history = statement('bare_history', "INSERT INTO bench_history (row_id, payload) VALUES ($1, repeat('x', 300))");
const outbox = statement(
  'bare_outbox',
  `INSERT INTO bench_outbox (row_id, payload) VALUES ($1, '{"memorandumId": 1}')`,
);

async function transition(id) {
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

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    transition(1 + Math.floor(Math.random() * 1000)).then(
      () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end('{"status":"ok"}');
      },
      (e) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      },
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
