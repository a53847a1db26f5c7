/**
 * A V8 CPU profile (`node --cpu-prof`) summarised: self time by where the code lives (a package
 * under node_modules, Kelisim's own dist/, Node.js internals, GC, idle) and the heaviest functions.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

function placeOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.includes('/dist/')) return 'kelisim (dist/)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url;
}

export function summariseProfile(file: string, top = 15): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()]
    .filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)')
    .reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const places = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === '(idle)') continue;
    const place = placeOf(n.callFrame.url, n.callFrame.functionName);
    places.set(place, (places.get(place) ?? 0) + t);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${place}`;
    fns.set(fn, (fns.get(fn) ?? 0) + t);
  }
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, t]) => `  ${((t / busy) * 100).toFixed(1).padStart(5)} %  ${k}`);
  return [
    `CPU profile of the API (${(busy / 1e6).toFixed(1)} s busy of ${(total / 1e6).toFixed(1)} s; self time, share of busy):`,
    ' by where the code lives:',
    ...rows(places),
    ' heaviest functions:',
    ...rows(fns),
  ].join('\n');
}
