import { isKzId, kzIdControlDigit } from './kz-id';

describe('IIN/BIN control digit', () => {
  it('accepts numbers whose last digit is the weighted sum modulo 11', () => {
    expect(isKzId('850101300015')).toBe(true);
    expect(isKzId('000740000728')).toBe(true);
    expect(isKzId('123456789013')).toBe(true);
  });

  it('uses the second weights when the first sum gives 10', () => {
    // 1·1 + 2·2 + … + 1·11 = 296 ≡ 10 (mod 11); with 3…11, 1, 2 it is 377 ≡ 3.
    expect(kzIdControlDigit('12345678901')).toBe(3);
    expect(isKzId('123456789012')).toBe(false);
  });

  it('refuses a wrong control digit, other lengths and non-digits', () => {
    expect(isKzId('850101300017')).toBe(false);
    expect(isKzId('85010130001')).toBe(false);
    expect(isKzId('8501013000150')).toBe(false);
    expect(isKzId('85010130001a')).toBe(false);
    expect(isKzId(850101300015)).toBe(false);
  });

  it('has no control digit when both sums give 10', () => {
    const none = Array.from({ length: 20000 }, (_, i) => String(i).padStart(11, '0')).find(
      (n) => kzIdControlDigit(n) === null,
    );
    expect(none).toBeDefined();
    for (let d = 0; d <= 9; d++) expect(isKzId(`${none}${d}`)).toBe(false);
  });
});
