/**
 * Writes openapi.json (the API's contract) from the controllers, without a database or Redis: Nest
 * builds the module graph in preview mode, which instantiates no provider. `--check` fails when the
 * committed file differs (CI).
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { buildOpenApiDocument } from '@kelisim/platform';
import { ApiModule } from '../apps/api/src/api.module';

const FILE = join(__dirname, '..', 'openapi.json');

async function main(): Promise<void> {
  const app = await NestFactory.create(ApiModule.forRoot({ DATABASE_URL: 'postgres://unused/unused' }), {
    preview: true, logger: false, abortOnError: false,
  });
  const text = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  await app.close();
  if (process.argv.includes('--check')) {
    const committed = readFileSync(FILE, 'utf8');
    if (committed !== text) {
      process.stderr.write('openapi.json is stale: run `npm run openapi` and commit the result\n');
      process.exit(1);
    }
    process.stdout.write('openapi.json is up to date\n');
  } else {
    writeFileSync(FILE, text);
    process.stdout.write(`wrote ${FILE}\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
