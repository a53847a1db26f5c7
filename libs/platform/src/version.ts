/**
 * Kelisim's version: package.json's, the one source for `kelisim --version` and the OpenAPI
 * document's info.version. Found by walking up from this file, so it holds under ts-node/ts-jest
 * (libs/platform/src) and after the build (dist/libs/platform/src) alike. Loads nothing else.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function kelisimVersion(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'kelisim' && pkg.version) return pkg.version;
  }
  throw new Error(`kelisim's package.json not found above ${from}`);
}
