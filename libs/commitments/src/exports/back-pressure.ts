import { once } from 'node:events';
import { Writable } from 'node:stream';

/**
 * Waits until `stream` drains (or, when given, until `out` — the response it feeds — has closed:
 * the reader went away, nothing will drain it). True when writing may go on.
 */
export async function drained(stream: Writable, out: Writable = stream): Promise<boolean> {
  if (out.destroyed) return false;
  const stop = new AbortController();
  try {
    return await Promise.race([
      once(stream, 'drain', { signal: stop.signal }).then(() => !out.destroyed),
      once(out, 'close', { signal: stop.signal }).then(() => false),
    ]);
  } finally {
    stop.abort(); // the other listener removed
  }
}

/** Writes `chunk`; when the stream asks, waits for it to drain. False when the reader has gone. */
export async function write(out: Writable, chunk: string): Promise<boolean> {
  if (out.destroyed) return false;
  return out.write(chunk) || drained(out);
}
