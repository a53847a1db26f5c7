import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';

/** argon2id with the library's defaults (19 MiB, t=2), as OWASP recommends. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verify(stored, password).catch(() => false);
}

/** Opaque bearer tokens: 32 random bytes; only their SHA-256 is stored. */
export function newToken(kind: 'session' | 'personal'): string {
  return `${kind === 'session' ? 'kls' : 'klp'}_${randomBytes(32).toString('base64url')}`;
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

let dummy: Promise<string> | undefined;
/** A real hash to verify against for unknown e-mails, so timing does not tell which accounts exist. */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hash(randomBytes(16).toString('hex'));
  return dummy;
}
