import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyFromDataDir, parseSecretsKey, SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = SecretBox.fromKey(Buffer.alloc(32, 7));

  it('seals and opens, with a fresh IV each time', () => {
    const a = box.seal('whsec-Тараз-2021');
    const b = box.seal('whsec-Тараз-2021');
    expect(a).not.toBe(b);
    expect(a).not.toContain('whsec');
    expect(box.open(a)).toBe('whsec-Тараз-2021');
  });

  it('refuses a tampered value or another key', () => {
    const sealed = box.seal('secret');
    const parts = sealed.split(':');
    parts[3] = Buffer.from('SECRET').toString('base64url');
    expect(() => box.open(parts.join(':'))).toThrow();
    expect(() => SecretBox.fromKey(Buffer.alloc(32, 8)).open(sealed)).toThrow();
    expect(() => box.open('plain text')).toThrow('Not a sealed secret');
  });

  it('parses hex and base64 keys of 32 bytes only', () => {
    expect(parseSecretsKey('ab'.repeat(32))?.length).toBe(32);
    expect(parseSecretsKey(Buffer.alloc(32, 1).toString('base64'))?.length).toBe(32);
    expect(parseSecretsKey('short')).toBeNull();
  });

  it('creates the key file once, private, and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelisim-key-'));
    try {
      const first = keyFromDataDir(dir);
      const second = keyFromDataDir(dir);
      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      expect(second.key.equals(first.key)).toBe(true);
      expect(statSync(first.path).mode & 0o777).toBe(0o600);
      expect(readFileSync(first.path, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
