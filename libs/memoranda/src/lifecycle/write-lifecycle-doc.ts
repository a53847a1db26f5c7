/**
 * Regenerates the table in docs/lifecycle.md from the transition data:
 *   TS_NODE_TRANSPILE_ONLY=1 node -r ts-node/register -r tsconfig-paths/register libs/memoranda/src/lifecycle/write-lifecycle-doc.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withLifecycleTable } from './lifecycle-doc';

const file = join(__dirname, '../../../../docs/lifecycle.md');
writeFileSync(file, withLifecycleTable(readFileSync(file, 'utf8')));
console.log(`updated ${file}`);
