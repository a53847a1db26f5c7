// Prints the gzipped size of the JavaScript a first visit of /app loads (the entry and the chunks
// index.html preloads) and fails the build above the budget of 250 KB.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = join(import.meta.dirname, '..', 'dist', 'web');
const html = readFileSync(join(root, 'index.html'), 'utf8');
const files = [...html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const BUDGET = 250 * 1024;
let total = 0;
for (const f of new Set(files)) {
  const size = gzipSync(readFileSync(join(root, f)), { level: 9 }).length;
  total += size;
  console.log(`  ${f}  ${(size / 1024).toFixed(1)} KB gzipped`);
}
console.log(`web: initial JavaScript ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`);
if (!files.length || total > BUDGET) {
  console.error(files.length ? 'web: over the budget' : 'web: no script found in dist/web/index.html');
  process.exit(1);
}
