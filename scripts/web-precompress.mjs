// Writes a Brotli (.br) and a gzip (.gz) copy beside every text asset Vite built into dist/web/assets,
// so that the API serves the web interface compressed without compressing on each request
// (apps/api/src/web/web-app.module.ts picks the copy the browser accepts).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const assets = join(import.meta.dirname, '..', 'dist', 'web', 'assets');
let files = 0;
for (const name of readdirSync(assets)) {
  if (!/\.(js|css|svg|json|txt)$/.test(name)) continue;
  const bytes = readFileSync(join(assets, name));
  writeFileSync(join(assets, `${name}.gz`), gzipSync(bytes, { level: 9 }));
  writeFileSync(
    join(assets, `${name}.br`),
    brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }),
  );
  files++;
}
console.log(`web: ${files} assets precompressed (.br, .gz)`);
