import { MAX_INPUT_DEPTH, unsafeInput } from './input-safety';

describe('unsafeInput', () => {
  it('accepts well-formed text, surrogate pairs and shallow structures', () => {
    expect(unsafeInput({ a: 'Келісім 🤝', b: [1, { c: null, d: true }] })).toEqual([]);
  });

  it('names lone surrogates, NUL and bad keys by path', () => {
    expect(unsafeInput({ a: ['x', 'y\ud800'], b: { c: 'n\u0000l' }, ['k\udc00']: 1 })).toEqual([
      { field: 'a[1]', message: 'must be well-formed Unicode text (it has a lone surrogate)' },
      { field: 'b.c', message: 'must not contain NUL characters' },
      { field: 'k\udc00', message: 'must be well-formed Unicode text (it has a lone surrogate)' },
    ]);
  });

  it('stops at the depth limit without walking further', () => {
    let v: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) v = [v];
    const errors = unsafeInput({ x: v });
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe(`is nested deeper than ${MAX_INPUT_DEPTH} levels`);
    expect(errors[0].field).toBe('x');
  });
});

describe('unsafeInput: long arrays', () => {
  it('refuses an array longer than the limit without looking into its items', () => {
    expect(unsafeInput({ items: Array.from({ length: 20_000 }, () => ({ kind: 'x\u0000' })) })).toEqual([
      { field: 'items', message: 'has more than 1000 items' },
    ]);
  });
});
