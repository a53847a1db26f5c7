/**
 * How long verifying a sealed evidence PDF takes, seal and later signatures included: the file
 * `kelisim demo` saves (the Taraz memorandum, 7 parties), verified in this process with its seal
 * trusted, as `kelisim verify-evidence --trust` does; and the same file countersigned by a party.
 * Baseline, in the same run: the same file with its seal cut off (every check but the seal's),
 * and one SHA-256 over the file's bytes. Then the command itself, as a user runs it (a new Node
 * process: its start-up included), needing dist/.
 *
 *   kelisim demo   # prints the file and the seal's fingerprint
 *   npm run bench:evidence-seal -- DATA_DIR/kelisim-evidence-<id>.pdf <fingerprint>
 *   (env: BENCH_RUNS=30)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { verifyEvidencePdf } from '@kelisim/evidence';
import { countersign, stripSeal, throwawaySealKey } from '../test/support/evidence-forgeries';
import { pct } from './support/load';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);

function time(runs: number, work: () => void): number[] {
  work();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    out.push(performance.now() - start);
  }
  return out.sort((a, b) => a - b);
}

const row = (label: string, ms: number[]) =>
  console.log(
    `${label.padEnd(52)} p50 ${pct(ms, 50).toFixed(1).padStart(7)} ms   p99 ${pct(ms, 99).toFixed(1).padStart(7)} ms`,
  );

async function main() {
  const [file, fingerprint] = process.argv.slice(2);
  if (!file || !fingerprint) throw new Error('usage: evidence-seal.bench.ts FILE.pdf SEAL-FINGERPRINT');
  const pdf = readFileSync(file);
  const trust = { fingerprints: [fingerprint] };
  const verdict = verifyEvidencePdf(pdf, trust);
  if (!verdict.valid) throw new Error(`the file is not VALID: ${JSON.stringify(verdict.checks.filter((c) => !c.ok))}`);
  const party = await throwawaySealKey('Жас Отан');
  const countersigned = await countersign(pdf, party, new Date());
  if (verifyEvidencePdf(countersigned, trust).status !== 'valid')
    throw new Error('the countersigned file is not VALID');
  const unsealed = stripSeal(pdf);
  console.log(
    `file ${file}: ${pdf.length} bytes, ${verdict.checks.length} checks; load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  row(
    'SHA-256 of the file (baseline)',
    time(RUNS, () => createHash('sha256').update(pdf).digest()),
  );
  row(
    'verify, seal cut off: every check but the seal (baseline)',
    time(RUNS, () => verifyEvidencePdf(unsealed)),
  );
  row(
    'verify sealed, --trust fingerprint',
    time(RUNS, () => verifyEvidencePdf(pdf, trust)),
  );
  row(
    'verify sealed + countersigned, --trust fingerprint',
    time(RUNS, () => verifyEvidencePdf(countersigned, trust)),
  );
  const bin = join(__dirname, '..', 'bin', 'kelisim.js');
  if (existsSync(join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js'))) {
    const copy = join(tmpdir(), `kelisim-bench-${process.pid}.pdf`);
    writeFileSync(copy, pdf);
    const cli = time(Math.min(RUNS, 10), () => {
      const r = spawnSync(process.execPath, [bin, 'verify-evidence', copy, '--trust', fingerprint]);
      if (r.status !== 0) throw new Error(`verify-evidence exited ${r.status}: ${r.stdout}`);
    });
    row('`kelisim verify-evidence FILE --trust FP` (whole process)', cli);
    const idle = time(Math.min(RUNS, 10), () => spawnSync(process.execPath, [bin, '--help']));
    row('`kelisim --help` (process start-up, baseline)', idle);
  } else console.log('dist/ is missing: the command itself is not timed (npx tsc -p tsconfig.build.json)');
  console.log(
    `load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
