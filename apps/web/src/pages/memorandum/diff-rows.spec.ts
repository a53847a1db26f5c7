/// <reference types="jest" />
import { sideBySide } from './diff-rows';

describe('a unified diff as side-by-side rows', () => {
  it('pairs removed and added lines, keeps context, and marks gaps between hunks', () => {
    const patch = [
      '--- a',
      '+++ b',
      '@@ -1,3 +1,3 @@',
      ' 1. Тараптар.',
      '-2. Мерзімі — бес жыл.',
      '+2. Мерзімі — үш жыл.',
      ' 3. Қорытынды.',
      '',
    ].join('\n');
    expect(sideBySide(patch)).toEqual([
      { kind: 'gap', left: '@@ -1,3 +1,3 @@' },
      { kind: 'same', left: '1. Тараптар.', right: '1. Тараптар.' },
      { kind: 'changed', left: '2. Мерзімі — бес жыл.', right: '2. Мерзімі — үш жыл.' },
      { kind: 'same', left: '3. Қорытынды.', right: '3. Қорытынды.' },
    ]);
  });

  it('shows a removed "--" or added "++" line: only the header before the first hunk is skipped', () => {
    const patch = ['--- a', '+++ b', '@@ -1,2 +1,2 @@', '---', '+++', ' ==='].join('\n');
    expect(sideBySide(patch)).toEqual([
      { kind: 'gap', left: '@@ -1,2 +1,2 @@' },
      { kind: 'changed', left: '--', right: '++' },
      { kind: 'same', left: '===', right: '===' },
    ]);
  });

  it('keeps an empty removed line as removed', () => {
    const patch = ['--- a', '+++ b', '@@ -1,2 +1,1 @@', ' x', '-'].join('\n');
    expect(sideBySide(patch)).toEqual([
      { kind: 'gap', left: '@@ -1,2 +1,1 @@' },
      { kind: 'same', left: 'x', right: 'x' },
      { kind: 'removed', left: '', right: undefined },
    ]);
  });
});
