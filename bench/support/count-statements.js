// Preloaded into the API process by the benchmarks (`node -r`): counts the SQL statements it
// sends (each one a round trip to PostgreSQL, BEGIN and COMMIT included) and answers the count
// over the IPC channel, so a benchmark can print round trips per request without a server log.
const { Client } = require('pg');

let statements = 0;
const query = Client.prototype.query;
Client.prototype.query = function countedQuery(...args) {
  statements++;
  return query.apply(this, args);
};
if (process.send) {
  process.on('message', (m) => {
    if (m === 'statements') process.send({ statements });
  });
  process.channel?.unref();
}
