/**
 * The two things the verifier reads from the bytes of an evidence PDF without a PDF library:
 * the file digest (SHA-256 of the file as issued, written into a fixed-width slot of its Info
 * dictionary) and the attached evidence JSON. Kelisim writes the PDF uncompressed, so both are
 * plain in the file; a compressed (Flate) attachment is inflated too, for files re-saved by a tool.
 */
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { EVIDENCE_ATTACHMENT_LIMIT, EvidenceLimitExceeded } from './evidence-limits';

export const DIGEST_PREFIX = 'KELISIM-SHA256:';
export const DIGEST_PLACEHOLDER = DIGEST_PREFIX + '0'.repeat(64);
const SLOT = /\(KELISIM-SHA256:([0-9a-f]{64})\)/g;

/** Writes the digest of `pdf` (slot zeroed) into the slot; `pdf` is changed in place and returned. */
export function stampDigest(pdf: Buffer): Buffer {
  const at = pdf.indexOf(`(${DIGEST_PLACEHOLDER})`, 0, 'latin1');
  if (at < 0) throw new Error('evidence PDF: digest slot missing');
  const digest = createHash('sha256').update(pdf).digest('hex');
  pdf.write(digest, at + 1 + DIGEST_PREFIX.length, 'latin1');
  return pdf;
}

/** The end of the file as issued: the first `%%EOF` (and its line end); anything after is an update. */
export function issuedLength(pdf: Buffer): number {
  const eof = pdf.indexOf('%%EOF', 0, 'latin1');
  if (eof < 0) return -1;
  let end = eof + 5;
  while (end < pdf.length && (pdf[end] === 0x0a || pdf[end] === 0x0d)) end++;
  return end;
}

export type DigestCheck =
  { ok: true; digest: string; issuedLength: number } | { ok: false; reason: string; issuedLength: number };

/** Recomputes the digest over the file as issued (up to its first %%EOF) with the slot zeroed. */
export function checkDigest(pdf: Buffer): DigestCheck {
  const end = issuedLength(pdf);
  if (end < 0) return { ok: false, reason: 'the file has no end-of-file marker', issuedLength: end };
  const issued = pdf.subarray(0, end);
  const slots = [...issued.toString('latin1').matchAll(SLOT)];
  if (slots.length !== 1)
    return { ok: false, reason: `expected one digest slot, found ${slots.length}`, issuedLength: end };
  const copy = Buffer.from(issued);
  const at = slots[0].index! + 1 + DIGEST_PREFIX.length;
  copy.write('0'.repeat(64), at, 'latin1');
  const digest = createHash('sha256').update(copy).digest('hex');
  if (digest !== slots[0][1])
    return {
      ok: false,
      reason: `the file was changed after it was made: its bytes hash to ${digest}, it was issued as ${slots[0][1]}`,
      issuedLength: end,
    };
  return { ok: true, digest, issuedLength: end };
}

/**
 * The bytes of the embedded file named `name`: its file specification names the stream object
 * (`/EF << /F n 0 R >>`), read with its /Length. null when there is none. Throws
 * EvidenceLimitExceeded when it is larger than EVIDENCE_ATTACHMENT_LIMIT (inflated: a zip bomb
 * would otherwise take the memory).
 */
export function embeddedFile(pdf: Buffer, name: string): Buffer | null {
  const text = pdf.toString('latin1');
  const spec = new RegExp(`/F \\(${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`).exec(text);
  if (!spec) return null;
  const windowStart = Math.max(0, text.lastIndexOf(' obj', spec.index));
  const window = text.slice(windowStart, spec.index + 2000);
  const ref = /\/EF\s*<<\s*\/F\s+(\d+)\s+0\s+R/.exec(window);
  if (!ref) return null;
  const header = new RegExp(`(^|[\\r\\n])${ref[1]} 0 obj\\s*<<`, 'g').exec(text);
  if (!header) return null;
  const dictStart = header.index + header[0].length;
  const streamAt = text.indexOf('stream', dictStart);
  if (streamAt < 0) return null;
  const dict = text.slice(dictStart, streamAt);
  const length = /\/Length\s+(\d+)/.exec(dict);
  if (!length) return null;
  let start = streamAt + 'stream'.length;
  if (text[start] === '\r') start++;
  if (text[start] === '\n') start++;
  const n = Number(length[1]);
  if (start + n > pdf.length) return null;
  const raw = pdf.subarray(start, start + n);
  const tooLarge = () => new EvidenceLimitExceeded(name, null, EVIDENCE_ATTACHMENT_LIMIT, 'bytes');
  if (/\/Filter\s*\/FlateDecode/.test(dict)) {
    try {
      return inflateSync(raw, { maxOutputLength: EVIDENCE_ATTACHMENT_LIMIT });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
      throw e;
    }
  }
  if (/\/Filter/.test(dict)) return null;
  if (raw.length > EVIDENCE_ATTACHMENT_LIMIT) throw tooLarge();
  return Buffer.from(raw);
}
