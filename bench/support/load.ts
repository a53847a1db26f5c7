/**
 * HTTP load with autocannon (from the benchmark's process, never the server's): a list of
 * requests sent once each by `connections` clients, optionally at a fixed overall rate; every
 * response's latency is kept so p50/p95/p99 are exact, and non-2xx answers are counted.
 */
import autocannon from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  token: string;
  body?: unknown;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  non2xx: number;
  errors: number;
  latencies: number[];
}

export const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN;

export async function load(
  base: string,
  list: LoadRequest[],
  connections: number,
  overallRate?: number,
): Promise<LoadResult> {
  // Nothing to send, nothing to measure (an empty list left autocannon running: the benchmark hung).
  if (!list.length) return { requests: 0, seconds: 0, perSecond: 0, non2xx: 0, errors: 0, latencies: [] };
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  let finish: (err: unknown, result: autocannon.Result) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (err, result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result));
  });
  const instance = autocannon(
    {
      url: base,
      connections,
      amount: list.length,
      timeout: 30,
      ...(overallRate ? { overallRate } : {}),
      requests: [
        {
          setupRequest: (req) => {
            const r = list[next++ % list.length];
            return {
              ...req,
              method: r.method,
              path: r.path,
              headers: {
                authorization: `Bearer ${r.token}`,
                ...(r.body === undefined ? {} : { 'content-type': 'application/json' }),
              },
              ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }),
            };
          },
        },
      ],
    },
    (err, result) => finish(err, result),
  );
  // The run ends at the last answer: autocannon calls back on its next one-second tick, so timing
  // to the callback would round every run up to whole seconds (1000 requests in 3.2 s → 250/s).
  let last = t0;
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime);
    last = performance.now();
  });
  const result = await done;
  const seconds = (last - t0) / 1000;
  return {
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    latencies,
  };
}
