/**
 * Writes openapi.json (the API's contract) from the controllers, without a database or Redis: Nest
 * builds the module graph in preview mode, which instantiates no provider. Then the TypeScript
 * types a client generates from it (openapi-typescript), apps/web/src/api/schema.d.ts, which the
 * web interface and test/contract/typed-client.ts compile against. `--check` fails when either
 * committed file differs (CI).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { buildOpenApiDocument } from '@kelisim/platform/http-app';
import { ApiModule } from '../apps/api/src/api.module';

const ROOT = join(__dirname, '..');
const FILE = join(ROOT, 'openapi.json');
const WEB_TYPES = join(ROOT, 'apps', 'web', 'src', 'api', 'schema.d.ts');

/** openapi-typescript's output for a document file; defaults do not make request fields required. */
function clientTypes(documentFile: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kelisim-openapi-'));
  try {
    const out = join(dir, 'types.ts');
    execFileSync(
      join(ROOT, 'node_modules', '.bin', 'openapi-typescript'),
      [documentFile, '-o', out, '--default-non-nullable', 'false'],
      { stdio: 'pipe' },
    );
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const app = await NestFactory.create(ApiModule.forRoot({ DATABASE_URL: 'postgres://unused/unused' }), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  const text = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  await app.close();
  if (process.argv.includes('--check')) {
    const stale = [];
    if (readFileSync(FILE, 'utf8') !== text) stale.push('openapi.json');
    else {
      if (readFileSync(WEB_TYPES, 'utf8') !== clientTypes(FILE)) stale.push('apps/web/src/api/schema.d.ts');
    }
    if (stale.length) {
      process.stderr.write(`${stale.join(', ')} is stale: run \`npm run openapi\` and commit the result\n`);
      process.exit(1);
    }
    process.stdout.write('openapi.json and the client types are up to date\n');
  } else {
    writeFileSync(FILE, text);
    writeFileSync(WEB_TYPES, clientTypes(FILE));
    process.stdout.write(`wrote ${FILE} and ${WEB_TYPES}\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
