import { hashPassword, newToken, tokenDigest, verifyPassword } from './secrets';

describe('secrets', () => {
  it('hashes passwords with argon2id and verifies them', async () => {
    const stored = await hashPassword('Келісім-2021!');
    expect(stored.startsWith('$argon2id$')).toBe(true);
    expect(stored).not.toContain('Келісім');
    await expect(verifyPassword(stored, 'Келісім-2021!')).resolves.toBe(true);
    await expect(verifyPassword(stored, 'келісім-2021!')).resolves.toBe(false);
  });

  it('makes distinct opaque tokens and digests them deterministically', () => {
    const a = newToken('personal');
    const b = newToken('personal');
    expect(a).toMatch(/^klp_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(tokenDigest(a)).toBe(tokenDigest(a));
    expect(tokenDigest(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});
