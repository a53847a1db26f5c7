/**
 * The optional PAdES seal. Without one the evidence says so and the check passes as "not sealed"
 * (integrity then rests on the file digest and the hashes, docs/evidence.md). Anything appended to
 * the file after it was issued must be a seal whose byte range covers the whole file.
 */
import type { EvidenceCheck } from './evidence-verifier';

export function checkSeal(pdf: Buffer, issuedLength: number): EvidenceCheck {
  const appended = issuedLength >= 0 && issuedLength < pdf.length;
  if (!appended)
    return { name: 'seal', ok: true, detail: 'not sealed (no PAdES signature): integrity, not identity, is checked' };
  return {
    name: 'seal',
    ok: false,
    detail: `${pdf.length - issuedLength} bytes were appended after the file was issued, and they are not a seal`,
  };
}
