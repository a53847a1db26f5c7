import { applyPatch } from 'diff';
import { diffTexts, lineEdits, MAX_EDITS } from './line-diff';

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';

describe('bounded line diff', () => {
  it('writes a unified diff that patches the old text into the new one (random texts, checked with jsdiff)', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: rand(30) }, () => 'line ' + rand(8));
      const b = a.filter(() => rand(4) > 0).flatMap((l) => (rand(5) === 0 ? [l, 'new ' + rand(8)] : [l]));
      const from = a.join('\n') + (a.length ? '\n' : '');
      const to = b.join('\n') + (b.length ? '\n' : '');
      const d = diffTexts('r1', 'r2', from, to);
      expect(d.lineByLine).toBe(true);
      expect(applyPatch(from, d.patch!)).toBe(to);
    }
  });

  it('counts added and removed lines', () => {
    const d = diffTexts('r1', 'r2', 'a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(d).toMatchObject({ lineByLine: true, added: 2, removed: 1 });
    expect(d.patch).toContain('-b\n+B\n');
  });

  it('3,000 against 3,000 distinct lines (and 80,000): too different, known without running Myers', () => {
    for (const n of [3000, 80_000]) {
      const d = diffTexts(
        'r1',
        'r2',
        lines(n, (i) => `a${i}`),
        lines(n, (i) => `b${i}`),
      );
      expect(d).toEqual({ lineByLine: false, added: n, removed: n, patch: null });
    }
  });

  it('the same lines reordered (the lower bound does not help): Myers stops after the edit bound', () => {
    const n = 80_000;
    const a = Array.from({ length: n }, (_, i) => i);
    const b = [...a].reverse();
    const work = { steps: 0 };
    expect(lineEdits(a, b, MAX_EDITS, work)).toBeNull();
    // Edit work bounded: about MAX_EDITS² / 2 diagonal steps, independent of the 80,000 lines.
    expect(work.steps).toBeLessThan((MAX_EDITS + 2) ** 2);
    expect(
      diffTexts(
        'r1',
        'r2',
        lines(n, (i) => `x${i}`),
        lines(n, (i) => `x${n - 1 - i}`),
      ),
    ).toMatchObject({ lineByLine: false, added: 0, removed: 0 });
  });

  it('a large text with a few edits is still shown line by line', () => {
    const n = 50_000;
    const d = diffTexts(
      'r1',
      'r2',
      lines(n, (i) => `l${i}`),
      lines(n, (i) => (i % 10_000 === 5 ? `changed ${i}` : `l${i}`)),
    );
    expect(d).toMatchObject({ lineByLine: true, added: 5, removed: 5 });
  });
});
