import { canonicalRequestJson, IDEMPOTENCY_KEY_PATTERN, requestHash } from './request-hash';

describe('request hash of Idempotency-Key', () => {
  it('does not depend on key order, at any depth', () => {
    expect(requestHash({ a: 1, b: { c: [1, { e: 2, d: 3 }] } })).toBe(
      requestHash({ b: { c: [1, { d: 3, e: 2 }] }, a: 1 }),
    );
    expect(canonicalRequestJson({ b: 1, a: [true, null, 'Жас Ұлан'] })).toBe('{"a":[true,null,"Жас Ұлан"],"b":1}');
  });

  it('tells different bodies apart, array order and value types included', () => {
    expect(requestHash({ a: [1, 2] })).not.toBe(requestHash({ a: [2, 1] }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: '1' }));
    expect(requestHash({})).not.toBe(requestHash(undefined));
  });

  it('accepts 1–200 characters of A–Z a–z 0–9 _ . : - only', () => {
    for (const ok of ['a', 'order-2021.09.28:1_x', 'k'.repeat(200)])
      expect(IDEMPOTENCY_KEY_PATTERN.test(ok)).toBe(true);
    for (const bad of ['', 'k'.repeat(201), 'a b', 'ключ', 'a/b'])
      expect(IDEMPOTENCY_KEY_PATTERN.test(bad)).toBe(false);
  });
});
