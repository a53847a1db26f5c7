// Preloaded into the API process by the benchmarks (`node -r`), answering over the IPC channel:
// 'statements' — how many SQL statements it has sent (each a round trip to PostgreSQL, BEGIN and
// COMMIT included), counted at pg's Client#query; 'profile:start' / 'profile:stop' — a V8 CPU
// profile of just the window in between (inspector), written to the file the stop names.
const { Client } = require('pg');
const { writeFileSync } = require('node:fs');
const inspector = require('node:inspector');
const cluster = require('node:cluster');

let statements = 0;
const query = Client.prototype.query;
Client.prototype.query = function countedQuery(...args) {
  statements++;
  return query.apply(this, args);
};

let session = null;
if (process.send) {
  process.on('message', (m) => {
    if (m === 'statements') {
      // With API_PROCESSES > 1 this is the supervisor: add up its HTTP processes' counts (the
      // preload runs in them too: cluster.fork passes node's -r on).
      const workers = Object.values(cluster.workers ?? {}).filter((w) => w.isConnected());
      if (!cluster.isPrimary || !workers.length) return process.send({ statements });
      let total = statements;
      let left = workers.length;
      for (const w of workers) {
        const on = (r) => {
          if (!r || typeof r.statements !== 'number') return;
          w.off('message', on);
          total += r.statements;
          if (--left === 0) process.send({ statements: total });
        };
        w.on('message', on);
        w.send('statements');
      }
    }
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
