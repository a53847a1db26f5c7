/**
 * The child processes of the fault tests (process-child.ts, worker-child.ts) run the application
 * from the build (dist/, as `kelisim` does: bin/kelisim.js) rather than compiling its sources with
 * ts-node in each child, which cost about 6 s of CPU per process. `npm test` builds first; after a
 * change to apps/ or libs/, run `npm run build` before these tests or `npm run bench:faults`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsconfig-paths';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
let registered = false;

/** `require` of a module of the build, by its path under dist/ without the extension; the @kelisim aliases resolve in dist/. */
export function compiled<T>(path: string): T {
  if (!registered) {
    if (!existsSync(join(DIST, 'apps', 'cli', 'src', 'main.js')))
      throw new Error('dist/ is missing: run `npm run build` (npm test does)');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the workspace's own path aliases
    const { compilerOptions } = require(join(ROOT, 'tsconfig.json')) as {
      compilerOptions: { paths: Record<string, string[]> };
    };
    register({ baseUrl: DIST, paths: compilerOptions.paths });
    registered = true;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module of the build, chosen at run time
  return require(join(DIST, path)) as T;
}
