import { readFileSync, statSync } from 'node:fs';
import {
  certificatesOfPem,
  EVIDENCE_FILE_LIMIT,
  EvidenceLimitExceeded,
  EvidenceVerdict,
  fingerprintOf,
  normaliseFingerprint,
  SealTrust,
  verifyEvidencePdf,
} from '@kelisim/evidence';

export interface VerifyEvidenceOptions {
  /** The trusted seal: a certificate file (PEM) or its SHA-256 fingerprint; repeatable. */
  trust?: string[];
  /**
   * A PEM bundle of CA certificates: each digital signature's certificate must chain to one; and,
   * when no --trust names the seal, a seal whose certificate chains to one is trusted.
   */
  anchors?: string;
}

/** Exit codes: the file is VALID; NOT VALID; unreadable or beyond the limits; intact but not proven. */
export const EXIT = { valid: 0, invalid: 1, unreadable: 2, unproven: 3 } as const;

function readTrust(options: VerifyEvidenceOptions): SealTrust | null {
  if (!options.trust?.length && !options.anchors) return null;
  const fingerprints: string[] = [];
  for (const value of options.trust ?? []) {
    const fingerprint = normaliseFingerprint(value);
    if (fingerprint) {
      fingerprints.push(fingerprint);
      continue;
    }
    const certs = certificatesOfPem(readFileSync(value, 'utf8'));
    if (!certs.length) throw new Error(`--trust ${value}: neither a SHA-256 fingerprint nor a PEM certificate file`);
    fingerprints.push(...certs.map(fingerprintOf));
  }
  const anchors = options.anchors ? certificatesOfPem(readFileSync(options.anchors, 'utf8')) : [];
  if (options.anchors && !anchors.length) throw new Error(`--anchors ${options.anchors}: no PEM certificate in it`);
  return { fingerprints, anchors, signerAnchors: anchors };
}

/**
 * `kelisim verify-evidence FILE.pdf [--trust seal.pem|FINGERPRINT] [--anchors bundle.pem]`:
 * checks an evidence PDF with nothing but the file — no configuration, no database, no server.
 * One line per check (`ok` or `FAIL`, its name, what it found) and a verdict: VALID (exit 0) only
 * when the seal is the trusted one; INTACT, ORIGIN NOT PROVEN or UNSEALED (exit 3) when nothing
 * is wrong with the file but nothing says whose seal to trust, or it has none; NOT VALID (exit 1);
 * exit 2 when the file cannot be read or is beyond the verifier's limits (docs/evidence.md).
 */
export function verifyEvidence(file: string, options: VerifyEvidenceOptions = {}): void {
  let verdict: EvidenceVerdict;
  try {
    const trust = readTrust(options);
    const size = statSync(file).size;
    if (size > EVIDENCE_FILE_LIMIT) throw new EvidenceLimitExceeded('file', size, EVIDENCE_FILE_LIMIT, 'bytes');
    verdict = verifyEvidencePdf(readFileSync(file), trust);
  } catch (e) {
    const why =
      e instanceof EvidenceLimitExceeded ? `beyond the verifier's limits: ${e.message}` : (e as Error).message;
    process.stderr.write(`verify-evidence: cannot verify ${file}: ${why}\n`);
    process.exit(EXIT.unreadable);
  }
  for (const c of verdict.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`);
  // Who signed, as each certificate says it (never as the JSON says it).
  for (const s of verdict.signatures ?? [])
    process.stdout.write(
      `${s.ok ? 'ok  ' : 'FAIL'} signature ${s.file}: ${s.signer ? `"${s.signer}"` : 'unknown signer'}, ` +
        `IIN ${s.iin ?? '—'}, BIN ${s.bin ?? '—'}${s.party ? `, for ${s.party}` : ''}; certificate SHA-256 ` +
        `${s.fingerprint ?? '—'}, issued by ${s.issuer ?? '—'}; ` +
        (s.chain === 'trusted'
          ? 'chains to an anchor given'
          : s.chain === 'untrusted'
            ? 'does NOT chain to any anchor given'
            : 'chain NOT checked against any anchor (give --anchors)') +
        `${s.problems.length ? `; ${s.problems.join('; ')}` : ''}${s.notes.length ? `; ${s.notes.join('; ')}` : ''}\n`,
    );
  const about = `memorandum ${verdict.memorandumId}, revision ${verdict.revisionHash ?? '(draft)'}, history head ${verdict.headHash}`;
  const lines: Record<EvidenceVerdict['status'], string> = {
    valid: `VALID: ${about}; sealed by the trusted seal ${verdict.seal?.fingerprint}`,
    intact:
      `INTACT, ORIGIN NOT PROVEN: ${about}. Nothing was changed since it was sealed, but nothing says whose seal ` +
      `to trust: compare the seal's fingerprint ${verdict.seal?.fingerprint} with the operator's ` +
      `(GET /evidence/seal-certificate) and run again with --trust ${verdict.seal?.fingerprint}`,
    unsealed: `UNSEALED, ORIGIN NOT PROVEN: ${about}. The file has no seal: its hashes agree, but anyone can recompute them`,
    invalid: `NOT VALID: ${verdict.checks
      .filter((c) => !c.ok)
      .map((c) => c.name)
      .join(', ')} failed`,
  };
  process.stdout.write(`${lines[verdict.status]}\n`);
  process.exitCode =
    verdict.status === 'valid' ? EXIT.valid : verdict.status === 'invalid' ? EXIT.invalid : EXIT.unproven;
}
