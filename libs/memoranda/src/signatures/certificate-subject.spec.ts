import { prefixedNumber } from './certificate-subject';

describe('NCA RK subject numbers', () => {
  it('reads IIN from the serialNumber and BIN from an organisational unit', () => {
    expect(prefixedNumber(['IIN850101300015'], 'IIN')).toBe('850101300015');
    expect(prefixedNumber(['Отдел', 'BIN000740000728'], 'BIN')).toBe('000740000728');
  });

  it('answers null when the prefix or the twelve digits are missing', () => {
    expect(prefixedNumber([], 'IIN')).toBeNull();
    expect(prefixedNumber(['850101300015'], 'IIN')).toBeNull();
    expect(prefixedNumber(['IIN85010130001'], 'IIN')).toBeNull();
    expect(prefixedNumber(['BIN000740000728'], 'IIN')).toBeNull();
    expect(prefixedNumber(['IIN8501013000150'], 'IIN')).toBeNull();
  });

  it('refuses two different numbers', () => {
    expect(() => prefixedNumber(['BIN000740000728', 'BIN123456789013'], 'BIN')).toThrow(/more than one BIN/);
    expect(prefixedNumber(['BIN000740000728', 'BIN000740000728'], 'BIN')).toBe('000740000728');
  });
});
