/**
 * Memory of evidence uploads (bench/README.md): `kelisim api` from dist/ as its own process on a
 * fresh database seeded by `kelisim demo` (an active memorandum whose reporter files reports), then
 * three concurrent `POST /commitments/{id}/reports` of BENCH_FILES (20) files of BENCH_FILE_BYTES
 * (10 MiB − 4 KiB) each,
 * every file distinct (no content-addressed shortcut). The API's resident memory (VmRSS from
 * /proc/<pid>/status) is read before, sampled every 20 ms during, and read again after the uploads.
 * Baseline in the same run, on the same process just before: the same three requests with the same
 * number of files of 16 KiB each — the same routes, parts and statements, without the bytes.
 * BENCH_API_ROOT runs another built checkout (its bin/ and dist/, e.g. a copy of the code before a
 * change) instead of this one. Needs `npm run build` (or `npx tsc -p tsconfig.build.json`) first.
 * Exit 1 only when an upload is not stored as sent.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { hashPassword } from '@kelisim/identity';
import { startApi } from './support/api-process';

const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROOT = process.env.BENCH_API_ROOT ?? join(__dirname, '..');
const PORT = Number(process.env.BENCH_PORT ?? 3931);
const FILES = Number(process.env.BENCH_FILES ?? 20);
// Just under the default limit of 10 MiB per file (EVIDENCE_MAX_FILE_BYTES), which refuses a file of exactly 10 MiB.
const FILE_BYTES = process.env.BENCH_FILE_BYTES ? Number(process.env.BENCH_FILE_BYTES) : 10 * 1024 * 1024 - 4096;
const SMALL_BYTES = 16 * 1024;
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 3);
const PASSWORD = 'bench-password-Тараз';

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One report with `files` distinct PDFs of `bytes` each, streamed (the bench holds one shared body, not the request). */
function upload(base: string, token: string, commitmentId: string, files: number, bytes: number, tag: string) {
  const boundary = `----kelisim-bench-${randomBytes(8).toString('hex')}`;
  const body = randomBytes(Math.max(0, bytes - 64));
  const report = JSON.stringify({ date: '2021-09-28', summary: `Bench ${tag}` });
  const parts: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="report"\r\n\r\n${report}\r\n`, 'utf8'),
  ];
  const hashes: string[] = [];
  for (let i = 0; i < files; i++) {
    // A PDF signature and a unique header line: every file is a distinct blob.
    const head = Buffer.from(`%PDF-1.7\n% ${tag} ${i} ${randomBytes(8).toString('hex')}`.padEnd(63) + '\n');
    hashes.push(createHash('sha256').update(head).update(body).digest('hex'));
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="bench-${tag}-${i}.pdf"\r\n` +
          `Content-Type: application/pdf\r\n\r\n`,
      ),
      head,
      body,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const length = parts.reduce((n, p) => n + p.length, 0);
  return new Promise<{ status: number; hashes: string[]; stored: string[] }>((resolve, reject) => {
    const url = new URL(`${base}/commitments/${commitmentId}/reports`);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(length),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let stored: string[] = [];
          try {
            stored = ((JSON.parse(text) as { files?: { sha256: string }[] }).files ?? []).map((f) => f.sha256);
          } catch {
            /* not JSON: reported by the status */
          }
          if (res.statusCode !== 201) console.error(`upload ${tag}: ${res.statusCode} ${text.slice(0, 300)}`);
          resolve({ status: res.statusCode ?? 0, hashes, stored });
        });
      },
    );
    req.on('error', reject);
    void (async () => {
      for (const p of parts) {
        if (!req.write(p)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })();
  });
}

/** Runs `work` while sampling the process's RSS; before, peak during, and after `settleMs`. */
async function measure(pid: number, work: () => Promise<boolean>, settleMs = 3000) {
  const before = rssKb(pid);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssKb(pid))), 20);
  const t0 = performance.now();
  const ok = await work();
  const seconds = (performance.now() - t0) / 1000;
  await sleep(settleMs);
  clearInterval(timer);
  const after = rssKb(pid);
  return { before, peak: Math.max(peak, after), after, seconds, ok };
}

async function main() {
  const name = `kelisim_upbench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  let failures = 0;
  try {
    const env = { ...process.env, DATABASE_URL: url, REDIS_URL: '', LOG_LEVEL: 'warn', DATA_DIR: `/tmp/${name}` };
    const kelisim = join(ROOT, 'bin', 'kelisim.js');
    execFileSync(process.execPath, [kelisim, 'migrate'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync(process.execPath, [kelisim, 'demo'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const db = new Client({ connectionString: url });
    await db.connect();
    const [seed] = (
      await db.query(
        `SELECT r.commitment_id, u.email FROM activity_reports r JOIN users u ON u.id = r.author_user_id LIMIT 1`,
      )
    ).rows as Array<{ commitment_id: string; email: string }>;
    if (!seed) throw new Error('kelisim demo filed no report: nothing to upload against');
    await db.query(`UPDATE users SET password_hash = $1 WHERE email = $2`, [await hashPassword(PASSWORD), seed.email]);

    api = await startApi({ databaseUrl: url, port: PORT, root: ROOT });
    const pid = api.pid;
    const login = await fetch(`${api.base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: seed.email, password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const round = async (bytes: number, tag: string) => {
      const results = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) =>
          upload(api!.base, token, seed.commitment_id, FILES, bytes, `${tag}${i}`),
        ),
      );
      const ok = results.every((r) => r.status === 201 && r.stored.join() === r.hashes.join());
      if (!ok) failures++;
      return ok;
    };

    // Warm-up: the upload path's code loaded and optimised once, not measured.
    await round(SMALL_BYTES, 'warm');
    await sleep(2000);
    const baseline = await measure(pid, () => round(SMALL_BYTES, 'base'));
    const load = await measure(pid, () => round(FILE_BYTES, 'load'));
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM evidence_files`)).rows;
    await db.end();

    const mib = (FILE_BYTES / 1024 / 1024).toFixed(3);
    console.log(`API under test: ${ROOT}; ${CONCURRENT} concurrent reports of ${FILES} files`);
    console.log(`load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    const row = (label: string, m: Awaited<ReturnType<typeof measure>>) =>
      console.log(
        `${label.padEnd(34)} before ${mb(m.before).padStart(7)}  peak ${mb(m.peak).padStart(7)}  after ${mb(m.after).padStart(7)}` +
          `  added at peak ${mb(m.peak - m.before).padStart(7)}  (${m.seconds.toFixed(1)} s, ${m.ok ? 'all 201' : 'FAILED'})`,
      );
    row(`baseline: ${FILES} × 16 KiB`, baseline);
    row(`uploads: ${FILES} × ${mib} MiB`, load);
    console.log(`evidence files stored: ${n}`);
  } finally {
    await api?.stop();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
  if (failures) {
    console.error(`WRONG: ${failures} round(s) of uploads not stored as sent`);
    process.exitCode = 1;
  }
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
