import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderLifecycleTable } from './lifecycle-doc';
import { LIFECYCLE_ACTIONS, LIFECYCLE_STATES, MEMORANDUM_TRANSITIONS } from './memorandum-transitions';

describe('docs/lifecycle.md', () => {
  const doc = readFileSync(join(__dirname, '../../../../docs/lifecycle.md'), 'utf8');

  it('contains the transition table exactly as the data renders it (regenerate with npm run docs:lifecycle)', () => {
    expect(doc).toContain(renderLifecycleTable());
  });

  it('names every state and every action', () => {
    for (const s of LIFECYCLE_STATES) expect(doc).toContain(`\`${s}\``);
    for (const a of LIFECYCLE_ACTIONS) expect(doc).toContain(`\`${a}\``);
    expect(
      renderLifecycleTable()
        .split('\n')
        .filter((l) => l.startsWith('| `')),
    ).toHaveLength(MEMORANDUM_TRANSITIONS.length);
  });
});
