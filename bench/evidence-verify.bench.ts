/**
 * Does verifying a hostile evidence PDF hold up the API? `kelisim api` runs from dist/ in its own
 * process; a poller, in a process of its own, asks its liveness route (`GET /health`) every 10 ms
 * and records each answer's latency: first with nothing else running (the baseline), then while
 * this process sends each hostile file to POST /evidence/verify, one after the other
 * (BENCH_REPEAT times, and again until BENCH_PHASE_SECONDS have passed). Printed per file: its
 * size, the answers and how long they took, and the max and p99 latency of /health beside the
 * baseline's.
 *
 *   npm run build && npm run bench:evidence-verify
 *   (env: BENCH_REPEAT=3 BENCH_PHASE_SECONDS=5 BENCH_BASELINE_SECONDS=5 BENCH_PORT=3941 BENCH_DATABASE_ADMIN_URL=…)
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { GENESIS_HASH, hashEvent } from '@kelisim/history';
import { dataSourceOptions } from '@kelisim/platform';
import { MIGRATIONS } from '../migrations';
import { costlyEvidence, pdfWithAttachment, quadraticEvidencePdf } from '../test/support/hostile-evidence';
import { startApi } from './support/api-process';
import { pct } from './support/load';

const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PORT = Number(process.env.BENCH_PORT ?? 3941);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? 5);
/** Each file is sent BENCH_REPEAT times, and again until this long has passed. */
const PHASE_SECONDS = Number(process.env.BENCH_PHASE_SECONDS ?? 5);
const POLL_EVERY_MS = 10;
const MiB = 1024 * 1024;

/**
 * A history chain that really chains (so the verifier hashes every event), padded by each event's
 * `data` to `bytes` of JSON in all: the costliest file the body limit lets through uncompressed.
 */
function chainedEvidence(bytes: number, events: number): Buffer {
  const id = '11111111-2222-4333-8444-555555555555';
  const pad = 'ж'.repeat(Math.max(0, Math.floor((bytes / events - 700) / 2)));
  const list = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= events; seq++) {
    const fields = {
      id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      memorandumId: id,
      seq,
      action: seq === 1 ? 'create' : 'comment',
      fromStatus: null,
      toStatus: 'draft',
      actorUserId: null,
      actorName: 'Парида Мамедова',
      organisationId: null,
      revisionNumber: 1,
      revisionHash: null,
      reason: null,
      requestId: null,
      data: { note: pad },
      prevHash: prev,
    };
    const at = new Date(Date.UTC(2021, 8, 28, 5, 0, seq));
    prev = hashEvent({ ...fields, at });
    list.push({ ...fields, at: at.toISOString(), hash: prev });
  }
  const terms = { title: 't', purpose: 'p', body: 'b', language: 'kk', timeZone: 'Asia/Almaty', parties: [] };
  return Buffer.from(
    JSON.stringify({
      v: 'kelisim.evidence.v1',
      memorandum: { id },
      revision: { number: 1, hash: null, terms },
      parties: [],
      approvals: [],
      signatures: [],
      history: { events: list, head: { seq: events, hash: prev } },
    }),
  );
}

interface Poll {
  latencies: number[];
  failures: number;
}

/**
 * The poller runs in a process of its own, so that this process's uploads of 20 MiB bodies do not
 * delay its requests: it polls until told to stop, then sends back each answer's latency.
 */
const POLLER = `
const [base, every] = process.argv.slice(1);
const poll = { latencies: [], failures: 0 };
let done = false;
process.on('message', () => (done = true));
(async () => {
  // The first request opens the connection: not measured; then the bench starts its work.
  await fetch(base + '/health').then((r) => r.arrayBuffer());
  process.send('polling');
  while (!done) {
    const t0 = performance.now();
    try {
      const r = await fetch(base + '/health');
      await r.arrayBuffer();
      if (!r.ok) poll.failures++;
    } catch {
      poll.failures++;
    }
    const ms = performance.now() - t0;
    poll.latencies.push(ms);
    if (ms < Number(every)) await new Promise((r) => setTimeout(r, Number(every) - ms));
  }
  process.send(poll, () => process.exit(0));
})();
`;

/** Polls GET /health every 10 ms (from another process) while `work` runs. */
async function pollWhile<T>(base: string, work: () => Promise<T>): Promise<{ poll: Poll; result: T }> {
  const child = spawn(process.execPath, ['-e', POLLER, base, String(POLL_EVERY_MS)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: unknown[] = [];
  let wake = () => {};
  child.on('message', (m) => {
    messages.push(m);
    wake();
  });
  const next = async () => {
    while (!messages.length) await new Promise<void>((r) => (wake = r));
    return messages.shift();
  };
  await next(); // 'polling'
  const result = await work();
  child.send('stop');
  return { poll: (await next()) as Poll, result };
}

async function main() {
  const name = `kelisim_evbench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  const load0 = loadavg();
  try {
    const ds = new DataSource(dataSourceOptions(url, [], MIGRATIONS));
    await ds.initialize();
    await ds.runMigrations();
    await ds.destroy();

    const files: Array<[string, Buffer]> = [
      ['40,000 entries, quadratic shape (20,000 approvals × 20,000 events), deflated', quadraticEvidencePdf()],
      [
        '45,000 entries within the limits (5,000 approvals, 40,000 events), deflated',
        pdfWithAttachment(costlyEvidence(5000, 40_000)),
      ],
      ['attachment inflating to 21 MiB (zip bomb)', pdfWithAttachment(Buffer.alloc(21 * MiB, 0x20))],
      [
        'near the body limit: 20 MiB − 4 KB, 20,000 chained events hashed',
        pdfWithAttachment(chainedEvidence(20 * MiB - 8 * 1024, 20_000), { plain: true, padTo: 20 * MiB - 4096 }),
      ],
      ['past the body limit: 24 MiB', Buffer.alloc(24 * MiB, 0x20)],
    ];

    // The limit would answer 429 after some of the bench's own requests.
    process.env.EVIDENCE_VERIFY_RATE_LIMIT = '1000000';
    const api = await startApi({ databaseUrl: url, port: PORT });
    const readyMb = api.peakRssMb().total;
    // Warm-up: the first verification starts a thread (not measured).
    await fetch(`${api.base}/evidence/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: pdfWithAttachment(costlyEvidence(1, 1)),
    });
    await pollWhile(api.base, () => new Promise((r) => setTimeout(r, 500)));
    const baseline = (await pollWhile(api.base, () => new Promise((r) => setTimeout(r, BASELINE_SECONDS * 1000)))).poll;

    const rows: string[] = [];
    for (const [label, pdf] of files) {
      const answers: string[] = [];
      const took: number[] = [];
      const { poll } = await pollWhile(api.base, async () => {
        const t0 = performance.now();
        for (let i = 0; i < REPEAT || performance.now() - t0 < PHASE_SECONDS * 1000; i++) {
          const sent = performance.now();
          const r = await fetch(`${api.base}/evidence/verify`, {
            method: 'POST',
            headers: { 'content-type': 'application/pdf' },
            body: pdf,
          });
          const body = (await r.json().catch(() => ({}))) as { code?: string; valid?: boolean };
          took.push(performance.now() - sent);
          answers.push(`${r.status} ${body.code ?? (body.valid === undefined ? '' : `valid=${body.valid}`)}`.trim());
        }
      });
      const distinct = [...new Set(answers)].join(', ');
      rows.push(
        `${label}\n    ${(pdf.length / 1024).toFixed(0).padStart(6)} KB  ${took.length} answers: ${distinct}; each ${pct(took, 50).toFixed(0)} ms (p50), ` +
          `max ${Math.max(...took).toFixed(0)} ms\n    /health: ${poll.latencies.length} polls, max ${Math.max(...poll.latencies).toFixed(1)} ms, ` +
          `p99 ${pct(poll.latencies, 99).toFixed(1)} ms, failures ${poll.failures}`,
      );
    }
    const peak = api.peakRssMb();
    await api.stop();
    const load1 = loadavg();
    console.log(
      `\nKelisim evidence verification vs liveness — kelisim api (separate process), /health polled every ${POLL_EVERY_MS} ms, each file sent in a row ≥ ${REPEAT}× and for ≥ ${PHASE_SECONDS} s; ${cpus().length} cores`,
    );
    console.log(`load average (1 min) before / after  ${load0[0].toFixed(2)} / ${load1[0].toFixed(2)}`);
    console.log(
      `baseline (nothing else running, ${BASELINE_SECONDS} s): /health ${baseline.latencies.length} polls, max ${Math.max(...baseline.latencies).toFixed(1)} ms, p99 ${pct(baseline.latencies, 99).toFixed(1)} ms, failures ${baseline.failures}`,
    );
    for (const r of rows) console.log(r);
    console.log(`API peak RSS (VmHWM): ${readyMb.toFixed(0)} MB when ready, ${peak.total.toFixed(0)} MB at the peak`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
