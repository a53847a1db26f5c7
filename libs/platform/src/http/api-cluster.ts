/**
 * An HTTP process forked by the `API_PROCESSES` supervisor (apps/cli/src/api-cluster.ts) talks to
 * it over the cluster's IPC channel: it says when it listens, and Prometheus scrapes of any of the
 * processes get the per-process metrics of all of them, summed by the supervisor.
 */
import cluster from 'node:cluster';
import type { Registry } from 'prom-client';

/** One process's metrics as `Registry#getMetricsAsJSON` gives them (what AggregatorRegistry sums). */
export type ProcessMetrics = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** What a forked HTTP process runs: the API with the worker's processors ('all'), or the API only. */
export type ClusterRole = 'all' | 'api';
export const CLUSTER_ROLE_VARIABLE = 'KELISIM_CLUSTER_ROLE';

export type ClusterMessage =
  | { kelisim: 'ready' }
  | { kelisim: 'metrics:request'; id: number }
  | { kelisim: 'metrics:collect'; id: number }
  | { kelisim: 'metrics:local'; id: number; metrics: ProcessMetrics }
  | { kelisim: 'metrics:answer'; id: number; text?: string; error?: string };

export const isClusterMessage = (m: unknown): m is ClusterMessage =>
  typeof m === 'object' && m !== null && 'kelisim' in m;

/** The role this process was forked for, or undefined outside a cluster. */
export function clusterRole(): ClusterRole | undefined {
  if (!cluster.isWorker) return undefined;
  const role = process.env[CLUSTER_ROLE_VARIABLE];
  return role === 'all' ? 'all' : 'api';
}

/** In a forked HTTP process: tells the supervisor it listens. */
export function reportClusterReady(): void {
  if (cluster.isWorker) process.send?.({ kelisim: 'ready' } satisfies ClusterMessage);
}

/**
 * In a forked HTTP process: answers the supervisor's collection rounds with `local` (the metrics
 * this process keeps itself) and returns how to ask for every process's, summed, as Prometheus
 * text. Outside a cluster: undefined (the caller renders its own).
 */
export function clusterMetrics(local: () => Promise<ProcessMetrics>): (() => Promise<string>) | undefined {
  if (!cluster.isWorker || !process.send) return undefined;
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  process.on('message', (m: unknown) => {
    if (!isClusterMessage(m)) return;
    if (m.kelisim === 'metrics:collect')
      void local().then((metrics) =>
        process.send?.({ kelisim: 'metrics:local', id: m.id, metrics } satisfies ClusterMessage),
      );
    else if (m.kelisim === 'metrics:answer') {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.text !== undefined) w?.resolve(m.text);
      else w?.reject(new Error(m.error ?? 'the supervisor gave no metrics'));
    }
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      process.send!({ kelisim: 'metrics:request', id } satisfies ClusterMessage);
    });
}
