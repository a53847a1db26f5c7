/**
 * Waits for a condition, never for a length of time. A test that waits a fixed number of polls, or
 * less than its own time limit, fails on a busy machine although nothing is wrong; a condition that
 * never holds still fails here, naming it, before jest's testTimeout (120 s, jest.config.js).
 */
export const WAIT_LIMIT_MS = 100_000;

/** Polls `probe` until it returns a truthy value (which it returns); fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T> | T,
  timeoutMs = WAIT_LIMIT_MS,
  intervalMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
