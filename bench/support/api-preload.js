// Preloaded into the API process by the benchmarks (`node -r`), answering over the IPC channel:
// 'statements' — how many SQL statements it has sent (each a round trip to PostgreSQL, BEGIN and
// COMMIT included), counted at pg's Client#query; 'profile:start' / 'profile:stop' — a V8 CPU
// profile of just the window in between (inspector), written to the file the stop names.
const { Client } = require('pg');
const { writeFileSync } = require('node:fs');
const inspector = require('node:inspector');

let statements = 0;
const query = Client.prototype.query;
Client.prototype.query = function countedQuery(...args) {
  statements++;
  return query.apply(this, args);
};

let session = null;
if (process.send) {
  process.on('message', (m) => {
    if (m === 'statements') process.send({ statements });
    else if (m === 'profile:start') {
      session = new inspector.Session();
      session.connect();
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 1000 }, () =>
          session.post('Profiler.start', () => process.send({ profiling: true })),
        ),
      );
    } else if (m && typeof m === 'object' && m.profileStopTo && session) {
      session.post('Profiler.stop', (err, result) => {
        if (!err) writeFileSync(m.profileStopTo, JSON.stringify(result.profile));
        session.disconnect();
        session = null;
        process.send({ profiled: err ? String(err) : m.profileStopTo });
      });
    }
  });
  process.channel?.unref();
}
