/**
 * Preloaded into the worker by bench/reminders.bench.ts (node -r): counts the statements sent to
 * PostgreSQL (each one a round trip) and the commands sent to Redis, and writes the totals to
 * BENCH_COUNT_FILE on SIGUSR2 (the bench takes a reading before and after the measured window).
 * Bench-only; the product never loads it.
 */
const { writeFileSync } = require('node:fs');
const pg = require('pg');
const IORedis = require('ioredis');

const counts = { pg: 0, redis: 0 };
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (...args) {
  counts.pg++;
  return query.apply(this, args);
};
const sendCommand = IORedis.prototype.sendCommand;
IORedis.prototype.sendCommand = function (...args) {
  counts.redis++;
  return sendCommand.apply(this, args);
};
process.on('SIGUSR2', () => {
  if (process.env.BENCH_COUNT_FILE) writeFileSync(process.env.BENCH_COUNT_FILE, JSON.stringify(counts));
});
