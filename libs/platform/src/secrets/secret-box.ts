/**
 * Secrets Kelisim must use again later — webhook signing secrets: they cannot be hashed like
 * passwords and tokens, so they are sealed with AES-256-GCM under a key that lives outside the
 * database (SECRETS_KEY, or a key file under DATA_DIR made on first use).
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const VERSION = 'v1';

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== 32) throw new Error('A secrets key must be 32 bytes');
    return new SecretBox(key);
  }

  /** `v1:<iv>:<tag>:<ciphertext>`, base64url; a fresh IV each time. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      data.toString('base64url'),
    ].join(':');
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('Not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** Decodes SECRETS_KEY: 64 hex digits or base64 of 32 bytes. */
export function parseSecretsKey(value: string): Buffer | null {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  return key.length === 32 ? key : null;
}

/**
 * The key file under DATA_DIR, created once (0600). Processes on one host share it; processes on
 * several hosts must be given the same SECRETS_KEY instead.
 */
export function keyFromDataDir(dataDir: string): { key: Buffer; created: boolean; path: string } {
  const root = resolve(dataDir);
  const path = join(root, 'secrets.key');
  mkdirSync(root, { recursive: true });
  try {
    writeFileSync(path, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
    return { key: parseSecretsKey(readFileSync(path, 'utf8').trim())!, created: true, path };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const key = parseSecretsKey(readFileSync(path, 'utf8').trim());
  if (!key) throw new Error(`${path} does not hold a 32-byte key (64 hex digits)`);
  return { key, created: false, path };
}

/**
 * The key of the history's keyed MACs (HMAC-SHA256), kept outside the database like the secrets
 * key: HISTORY_KEY when set (64 hex digits or base64 of 32 bytes), else derived from the secrets
 * key (SECRETS_KEY, or DATA_DIR/secrets.key), so one key file serves both. Whoever holds it can
 * tell a chain Kelisim wrote from one recomputed by someone with only database access.
 */
export function resolveHistoryKey(env: { HISTORY_KEY?: string; SECRETS_KEY?: string; DATA_DIR?: string }): Buffer {
  if (env.HISTORY_KEY) {
    const key = parseSecretsKey(env.HISTORY_KEY);
    if (!key) throw new Error('HISTORY_KEY must be 32 bytes as 64 hex digits or base64');
    return key;
  }
  const secretsKey = env.SECRETS_KEY ? parseSecretsKey(env.SECRETS_KEY) : keyFromDataDir(env.DATA_DIR ?? './data').key;
  if (!secretsKey) throw new Error('SECRETS_KEY must be 32 bytes as 64 hex digits or base64');
  return createHmac('sha256', secretsKey).update('kelisim.history.mac.v1').digest();
}

/** Injection token of the history MAC key (a 32-byte Buffer). */
export const HISTORY_MAC_KEY = 'kelisim:history-mac-key';
