/**
 * How far V8 lets the old generation grow after a full collection, for Kelisim's long-running
 * processes (`kelisim start`, `api`, `worker`).
 *
 * Left to itself, V8 sets the next full collection's threshold at up to 4× the heap that survived
 * the last one when the machine has memory to spare and the process allocates fast, which a
 * worker delivering a burst of reminders does: its live heap after a collection is 35–45 MB, and
 * the garbage in between took the old space to 160 MB and the process to 290–390 MB of RSS.
 * `--heap-growing-percent` fixes that factor (1 + percent / 100) without capping the heap: a
 * process whose live set grows (a large evidence PDF, an export) still gets the memory it needs,
 * collected more often. Measured in docs/performance.md ("Memory and start-up"): the same
 * throughput, a lower peak.
 *
 * The flag is not accepted in NODE_OPTIONS, so it is set here, before the app's modules load. It
 * is read by V8 at every full collection. An operator who sizes the heap (`--max-old-space-size`,
 * `--heap-growing-percent` on the command line, or `--max-old-space-size` in NODE_OPTIONS) keeps
 * V8's behaviour for that choice: nothing is set then.
 */
import { setFlagsFromString } from 'node:v8';

/** The old generation's growth after a full collection, in percent (factor 1.5). */
export const HEAP_GROWING_PERCENT = 50;

const SIZING_FLAGS = /^--(max-old-space-size|max-heap-size|heap-growing-percent)(=|$)/;

/** Whether the node command line or NODE_OPTIONS already sizes V8's heap. */
export function heapSizedByOperator(execArgv: readonly string[], nodeOptions = ''): boolean {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => SIZING_FLAGS.test(arg.replace(/_/g, '-')));
}

/** Sets the growth unless the operator sized the heap; returns the percent set, or undefined. */
export function limitHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): number | undefined {
  if (heapSizedByOperator(execArgv, nodeOptions)) return undefined;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return HEAP_GROWING_PERCENT;
}
