import { readFileSync, statSync } from 'node:fs';
import { EVIDENCE_FILE_LIMIT, EvidenceLimitExceeded, EvidenceVerdict, verifyEvidencePdf } from '@kelisim/evidence';

/**
 * `kelisim verify-evidence FILE.pdf`: checks an evidence PDF with nothing but the file — no
 * configuration, no database, no server. One line per check (`ok` or `FAIL`, its name, what it
 * found) and a verdict; exit code 0 when every check passes, 1 when one fails, 2 when the file
 * cannot be read or is beyond the verifier's limits (the same as the API's: docs/evidence.md).
 */
export function verifyEvidence(file: string): void {
  let verdict: EvidenceVerdict;
  try {
    const size = statSync(file).size;
    if (size > EVIDENCE_FILE_LIMIT) throw new EvidenceLimitExceeded('file', size, EVIDENCE_FILE_LIMIT, 'bytes');
    verdict = verifyEvidencePdf(readFileSync(file));
  } catch (e) {
    const why =
      e instanceof EvidenceLimitExceeded ? `beyond the verifier's limits: ${e.message}` : (e as Error).message;
    process.stderr.write(`verify-evidence: cannot verify ${file}: ${why}\n`);
    process.exit(2);
  }
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
