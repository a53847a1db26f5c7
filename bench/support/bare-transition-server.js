// The transitions benchmark's first reference server (bench/transitions.bench.ts): a bare
// node:http server that runs pgbench's transaction (pgbench-transaction.js) for every POST and
// answers 201 with a small JSON body. No framework, no authentication, no validation: what Node,
// its HTTP server and the `pg` driver cost on this machine for the same SQL, driven by the same
// load generator as the API. argv: database URL, port. Says `ready` on stdout once listening.
const http = require('node:http');
const { pgbenchTransaction } = require('./pgbench-transaction');

const [url, port] = process.argv.slice(2);
const transaction = pgbenchTransaction(url);

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
      return;
    }
    transaction.run().then(
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
process.on('SIGTERM', () => server.close(() => transaction.end().then(() => process.exit(0))));
