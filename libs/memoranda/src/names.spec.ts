import { foldName, sameName } from './names';

describe('typed names', () => {
  it('match after NFC, whitespace and case folding', () => {
    expect(sameName('  болатбек   УӘЛИ ', 'Болатбек Уәли')).toBe(true);
    expect(sameName('Болатбек Уа\u0301ли', 'Болатбек Уа\u0301ли'.normalize('NFC'))).toBe(true);
    expect(sameName('Болатбек Уали', 'Болатбек Уәли')).toBe(false);
    expect(foldName('Ә\u00a0Б')).toBe('ә б');
  });
});
