/**
 * Regenerates the table in docs/lifecycle.md from the transition data: `npm run docs:lifecycle`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withLifecycleTable } from '@kelisim/memoranda';

const file = join(__dirname, '../docs/lifecycle.md');
writeFileSync(file, withLifecycleTable(readFileSync(file, 'utf8')));
console.log(`updated ${file}`);
