/**
 * A line diff whose work is bounded: Myers' O(ND) algorithm on interned lines, giving up past
 * MAX_EDITS changed lines. Two revisions of 3,000 distinct lines each need 6,000 edits; computed
 * without a bound that took seconds of a blocked event loop (15 s for 8,000 lines), and the text
 * may be 500,000 characters. Past the bound the answer is coarse: how many lines appear only on
 * one side, and no line-by-line patch. The count of lines found on one side only is a lower bound
 * of the edits, so most texts that are too different are known without running Myers at all; the
 * rest (the same lines reordered) stop after MAX_EDITS rounds: tens of milliseconds, ≈4 MB.
 */
export const MAX_EDITS = 1000;
const CONTEXT = 3;

export type LineOp = '=' | '-' | '+';

export interface LineDiff {
  /** false: too different to show line by line (more than MAX_EDITS changed lines). */
  lineByLine: boolean;
  added: number;
  removed: number;
  /** Unified diff, or null when not line by line. */
  patch: string | null;
}

const splitLines = (s: string) => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));

/** The edit script (one op per line) with at most `maxEdits` insertions and deletions, or null. */
export function lineEdits(a: number[], b: number[], maxEdits = MAX_EDITS, work?: { steps: number }): LineOp[] | null {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  const limit = Math.min(maxEdits, n + m);
  if (n + m > 0 && Math.abs(n - m) > limit) return null;
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= limit && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      const from = x;
      while (x < n && y < m && a[start + x] === b[start + y]) {
        x++;
        y++;
      }
      if (work) work.steps += 1 + x - from;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return null;
  // Walk back through the saved frontiers: each step is a diagonal run and one edit.
  const middle: LineOp[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d];
    const at = (k: number) => prev[k + d + 1];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      middle.push('=');
      x--;
      y--;
    }
    middle.push(down ? '+' : '-');
    if (down) y--;
    else x--;
  }
  while (x > 0 && y > 0) {
    middle.push('=');
    x--;
    y--;
  }
  middle.reverse();
  return [...Array<LineOp>(start).fill('='), ...middle, ...Array<LineOp>(a.length - endA).fill('=')];
}

/** Diff of two texts by line, bounded; unified format with three lines of context. */
export function diffTexts(fromName: string, toName: string, from: string, to: string, maxEdits = MAX_EDITS): LineDiff {
  const linesA = splitLines(from);
  const linesB = splitLines(to);
  const ids = new Map<string, number>();
  const intern = (l: string) => {
    let id = ids.get(l);
    if (id === undefined) ids.set(l, (id = ids.size));
    return id;
  };
  const a = linesA.map(intern);
  const b = linesB.map(intern);
  // Lines found on one side only, counted as multisets: the coarse answer, and a lower bound of the edits.
  const counts = new Map<number, number>();
  for (const id of a) counts.set(id, (counts.get(id) ?? 0) + 1);
  let onlyB = 0;
  for (const id of b) {
    const c = counts.get(id) ?? 0;
    if (c > 0) counts.set(id, c - 1);
    else onlyB++;
  }
  let onlyA = 0;
  for (const c of counts.values()) onlyA += c;
  const ops = onlyA + onlyB > maxEdits ? null : lineEdits(a, b, maxEdits);
  if (!ops) return { lineByLine: false, added: onlyB, removed: onlyA, patch: null };
  return {
    lineByLine: true,
    added: ops.filter((o) => o === '+').length,
    removed: ops.filter((o) => o === '-').length,
    patch: unified(fromName, toName, linesA, linesB, ops),
  };
}

function unified(fromName: string, toName: string, a: string[], b: string[], ops: LineOp[]): string {
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  // Positions in a and b before each op.
  const ia: number[] = [];
  const ib: number[] = [];
  let i = 0;
  let j = 0;
  for (const op of ops) {
    ia.push(i);
    ib.push(j);
    if (op !== '+') i++;
    if (op !== '-') j++;
  }
  let p = 0;
  while (p < ops.length) {
    if (ops[p] === '=') {
      p++;
      continue;
    }
    const first = Math.max(0, p - CONTEXT);
    let end = p;
    // Extend the hunk while the next change is within two contexts of the last one.
    for (let q = p; q < ops.length; q++) {
      if (ops[q] !== '=') end = q + 1;
      else if (q - end >= 2 * CONTEXT) break;
    }
    const last = Math.min(ops.length, end + CONTEXT);
    const lines: string[] = [];
    let countA = 0;
    let countB = 0;
    for (let q = first; q < last; q++) {
      if (ops[q] === '=') {
        lines.push(` ${a[ia[q]]}`);
        countA++;
        countB++;
      } else if (ops[q] === '-') {
        lines.push(`-${a[ia[q]]}`);
        countA++;
      } else {
        lines.push(`+${b[ib[q]]}`);
        countB++;
      }
    }
    const startA = countA ? ia[first] + 1 : ia[first];
    const startB = countB ? ib[first] + 1 : ib[first];
    out.push(`@@ -${startA},${countA} +${startB},${countB} @@`, ...lines);
    p = last;
  }
  return out.join('\n') + '\n';
}
