/**
 * Request bodies must be valid UTF-8. Node decodes a malformed sequence as U+FFFD without a word,
 * so a stray Latin-1 or Windows-1251 byte would be stored, hashed into the history and signed as
 * a replacement character nobody typed. Checked on the raw bytes, before JSON parsing.
 */
import type { IncomingMessage } from 'node:http';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The body parser's `verify` hook: a 400 its error handler answers as `invalid_encoding`; a body
 * declared in another charset the parser would take (UTF-16, UTF-32), 415 — JSON between systems
 * is UTF-8 (RFC 8259 §8.1).
 */
export function verifyUtf8(_req: IncomingMessage, _res: unknown, buf: Buffer, encoding: string): void {
  if (encoding.toLowerCase().replace('-', '') !== 'utf8')
    throw Object.assign(new Error(`Request bodies must be UTF-8, not ${encoding}`), {
      status: 415,
      type: 'charset.unsupported',
    });
  try {
    decoder.decode(buf);
  } catch {
    const at = firstInvalidByte(buf);
    throw Object.assign(new Error(`Request body is not valid UTF-8 (byte ${at})`), {
      status: 400,
      type: 'entity.encoding.invalid',
    });
  }
}

const decodes = (buf: Buffer, stream: boolean) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf, { stream });
    return true;
  } catch {
    return false;
  }
};

/** The offset where the first malformed sequence starts (only computed for a body being refused). */
export function firstInvalidByte(buf: Buffer): number {
  // The longest prefix that a longer input could still complete, by bisection…
  let lo = 0;
  let hi = buf.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (decodes(buf.subarray(0, mid), true)) lo = mid;
    else hi = mid - 1;
  }
  // …then back to the start of its last, unfinished sequence (at most three bytes).
  for (let at = lo; at > Math.max(0, lo - 4); at--) if (decodes(buf.subarray(0, at), false)) return at;
  return Math.max(0, lo - 4);
}
