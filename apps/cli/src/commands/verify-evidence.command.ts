import { readFileSync, statSync } from 'node:fs';
import { verifyEvidencePdf } from '@kelisim/evidence';

const MAX_BYTES = 200 * 1024 * 1024;

/**
 * `kelisim verify-evidence FILE.pdf`: checks an evidence PDF with nothing but the file — no
 * configuration, no database, no server. One line per check (`ok` or `FAIL`, its name, what it
 * found) and a verdict; exit code 0 when every check passes, 1 when one fails, 2 when the file
 * cannot be read.
 */
export function verifyEvidence(file: string): void {
  let pdf: Buffer;
  try {
    if (statSync(file).size > MAX_BYTES) throw new Error(`larger than ${MAX_BYTES} bytes`);
    pdf = readFileSync(file);
  } catch (e) {
    process.stderr.write(`verify-evidence: cannot read ${file}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const verdict = verifyEvidencePdf(pdf);
  for (const c of verdict.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`);
  process.stdout.write(
    verdict.valid
      ? `VALID: memorandum ${verdict.memorandumId}, revision ${verdict.revisionHash ?? '(draft)'}, history head ${verdict.headHash}\n`
      : `NOT VALID: ${verdict.checks
          .filter((c) => !c.ok)
          .map((c) => c.name)
          .join(', ')} failed\n`,
  );
  process.exitCode = verdict.valid ? 0 : 1;
}
