/**
 * Checks of one uploaded evidence file: size, the allow-list of content types, bytes that look like
 * the declared type (for the types with a signature), and the declared SHA-256. Pure.
 */
import { createHash } from 'node:crypto';
import { FieldError } from '@kelisim/platform';

export interface UploadedEvidence {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

export interface CheckedEvidence {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  content: Buffer;
}

const SIGNATURES: Record<string, number[][]> = {
  'application/pdf': [[0x25, 0x50, 0x44, 0x46]],
  'image/png': [[0x89, 0x50, 0x4e, 0x47]],
  'image/jpeg': [[0xff, 0xd8, 0xff]],
  'image/webp': [[0x52, 0x49, 0x46, 0x46]],
};

const looksLike = (type: string, bytes: Buffer) =>
  !SIGNATURES[type] || SIGNATURES[type].some((sig) => sig.every((b, i) => bytes[i] === b));

/** A file name safe to store and to send back: no path, no control characters, at most 255 characters. */
export function cleanFileName(name: string): string {
  const base = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return (clean || 'evidence').slice(0, 255);
}

export function checkEvidence(
  files: UploadedEvidence[],
  declared: string[] | undefined,
  limits: { maxFileBytes: number; contentTypes: string[] },
): { ok: true; files: CheckedEvidence[] } | { ok: false; status: 400 | 413 | 415 | 422; error: FieldError } {
  if (declared && declared.length !== files.length)
    return {
      ok: false,
      status: 422,
      error: { field: 'report.sha256', message: `lists ${declared.length} hashes for ${files.length} files` },
    };
  const out: CheckedEvidence[] = [];
  for (const [i, f] of files.entries()) {
    const field = `files[${i}]`;
    const contentType = f.mimetype.toLowerCase().split(';')[0].trim();
    if (f.size > limits.maxFileBytes || f.buffer.length > limits.maxFileBytes)
      return { ok: false, status: 413, error: { field, message: `is larger than ${limits.maxFileBytes} bytes` } };
    if (!f.buffer.length) return { ok: false, status: 400, error: { field, message: 'is empty' } };
    if (!limits.contentTypes.includes(contentType))
      return {
        ok: false,
        status: 415,
        error: { field, message: `has type ${contentType}; allowed: ${limits.contentTypes.join(', ')}` },
      };
    if (!looksLike(contentType, f.buffer))
      return { ok: false, status: 415, error: { field, message: `does not look like ${contentType}` } };
    const sha256 = createHash('sha256').update(f.buffer).digest('hex');
    if (declared && declared[i].toLowerCase() !== sha256)
      return {
        ok: false,
        status: 422,
        error: { field, message: `has SHA-256 ${sha256}, not the declared ${declared[i].toLowerCase()}` },
      };
    out.push({ name: cleanFileName(f.originalname), contentType, size: f.buffer.length, sha256, content: f.buffer });
  }
  return { ok: true, files: out };
}
