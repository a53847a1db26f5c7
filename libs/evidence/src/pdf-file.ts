/**
 * The two things the verifier reads from the bytes of an evidence PDF without a PDF library:
 * the file digest (SHA-256 of the file as issued, written into a fixed-width slot of its Info
 * dictionary) and the attached evidence JSON. Kelisim writes the PDF uncompressed, so both are
 * plain in the file; a compressed (Flate) attachment is inflated too, for files re-saved by a tool.
 */
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { EVIDENCE_ATTACHMENT_LIMIT, EvidenceLimitExceeded } from './evidence-limits';
import { objectAt, PdfRevision, refOf } from './pdf-revisions';

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

/** The statement of which seal will seal the file, in its Info dictionary (covered by the digest). */
export const SEAL_PREFIX = 'KELISIM-SEAL-SHA256:';

export type DigestCheck =
  | { ok: true; digest: string; issuedLength: number; sealFingerprint: string | null }
  | { ok: false; reason: string; issuedLength: number; sealFingerprint: null };

/**
 * Recomputes the digest over the file as issued (its first revision) with the slot zeroed. The
 * slot is the one in that revision's Info dictionary, found through its cross-reference table: a
 * memorandum whose text holds the marker has it in the attachment too, and that one is not read.
 */
export function checkDigest(pdf: Buffer, issued: PdfRevision | null, text = pdf.toString('latin1')): DigestCheck {
  const fail = (reason: string, end = -1): DigestCheck => ({
    ok: false,
    reason,
    issuedLength: end,
    sealFingerprint: null,
  });
  if (!issued) return fail('the file has no readable end-of-file section');
  const entry = (key: string) => infoEntry(text, issued, key);
  const info = infoDictionary(text, issued);
  if (!info) return fail('the Info dictionary of the file as issued cannot be found', issued.end);
  const slot = entry('KelisimDigest');
  const found = slot ? new RegExp(SLOT.source).exec(text.slice(slot.start, slot.end)) : null;
  if (!slot || !found) return fail('the file as issued has no digest slot in its Info dictionary', issued.end);
  const copy = Buffer.from(pdf.subarray(0, issued.end));
  const slotAt = slot.start + found.index + 1 + DIGEST_PREFIX.length;
  copy.write('0'.repeat(64), slotAt, 'latin1');
  const digest = createHash('sha256').update(copy).digest('hex');
  if (digest !== found[1])
    return fail(
      `the file was changed after it was made: its bytes hash to ${digest}, it was issued as ${found[1]}`,
      issued.end,
    );
  const seal = entry('KelisimSeal');
  const stated = seal ? new RegExp(`\\(${SEAL_PREFIX}([0-9a-f]{64})\\)`).exec(text.slice(seal.start, seal.end)) : null;
  return { ok: true, digest, issuedLength: issued.end, sealFingerprint: stated?.[1] ?? null };
}

/** The Info dictionary of a revision: where it is and its text. */
export function infoDictionary(text: string, revision: PdfRevision): { at: number; dict: string } | null {
  const n = refOf(revision.trailer, 'Info');
  const at = revision.objects.get(n);
  const obj = at !== undefined && at < revision.end ? objectAt(text, at) : null;
  return obj && obj.number === n ? { at: at!, dict: obj.dict } : null;
}

/**
 * Where the value of `/key` of a revision's Info dictionary lies in the file: inside the
 * dictionary, or the object it refers to (PDF/A writers put each string in an object of its own).
 */
export function infoEntry(text: string, revision: PdfRevision, key: string): { start: number; end: number } | null {
  const info = infoDictionary(text, revision);
  if (!info) return null;
  const value = new RegExp(`/${key}\\s*(\\(|(\\d+)\\s+\\d+\\s+R)`).exec(info.dict);
  if (!value) return null;
  if (value[1] === '(') {
    const start = info.at + text.slice(info.at).indexOf(info.dict) + value.index;
    return { start, end: start + value[0].length + 100 };
  }
  const at = revision.objects.get(Number(value[2]));
  const obj = at !== undefined && at < revision.end ? objectAt(text, at) : null;
  return obj && obj.number === Number(value[2]) ? { start: at!, end: obj.end } : null;
}

/**
 * The bytes of the embedded file named `name`: its file specification names the stream object
 * (`/EF << /F n 0 R >>`), read with its /Length. null when there is none. Throws
 * EvidenceLimitExceeded when it is larger than EVIDENCE_ATTACHMENT_LIMIT (inflated: a zip bomb
 * would otherwise take the memory).
 */
export function embeddedFile(pdf: Buffer, name: string): Buffer | null {
  const text = pdf.toString('latin1');
  // The first specification that names a stream: the name may also appear in a memorandum's text.
  // A few tries only, each one reads the file: a hostile file could repeat the name a million times.
  let tries = 0;
  for (const spec of text.matchAll(new RegExp(`/F \\(${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`, 'g'))) {
    const found = embeddedAt(pdf, text, spec.index, name);
    if (found || ++tries >= 8) return found;
  }
  return null;
}

function embeddedAt(pdf: Buffer, text: string, specAt: number, name: string): Buffer | null {
  const spec = { index: specAt };
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
