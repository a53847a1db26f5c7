/**
 * Webhook requests are signed with HMAC-SHA256 over `${timestamp}.${body}`; receivers recompute it
 * with their secret and refuse stale timestamps. Private and loopback targets are refused unless
 * WEBHOOK_ALLOW_PRIVATE=true (server-side request forgery).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export const SIGNATURE_HEADER = 'x-kelisim-signature';
export const TIMESTAMP_HEADER = 'x-kelisim-timestamp';
export const DELIVERY_HEADER = 'x-kelisim-delivery';
export const EVENT_HEADER = 'x-kelisim-event';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verifyWebhook(secret: string, timestamp: number, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/** Loopback, private, link-local, unique-local, CGNAT, unspecified and multicast addresses. */
export function isPrivateAddress(address: string): boolean {
  const v = isIP(address);
  if (v === 4) {
    const [a, b] = address.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  if (v === 6) {
    const s = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
    if (mapped) return isPrivateAddress(mapped[1]);
    return (
      s === '::' ||
      s === '::1' ||
      s.startsWith('fc') ||
      s.startsWith('fd') ||
      s.startsWith('fe8') ||
      s.startsWith('fe9') ||
      s.startsWith('fea') ||
      s.startsWith('feb') ||
      s.startsWith('ff')
    );
  }
  return true;
}

/** A reason to refuse `url` as a webhook target, or null. Resolves the host name. */
export async function refuseTarget(url: string, allowPrivate: boolean): Promise<string | null> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'must be an http or https URL';
  if (u.username || u.password) return 'must not contain credentials';
  if (allowPrivate) return null;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch (e) {
    return `host ${host} does not resolve (${(e as Error).message})`;
  }
  const bad = addresses.find(isPrivateAddress);
  return bad ? `resolves to a private or loopback address (${bad}); set WEBHOOK_ALLOW_PRIVATE=true to allow` : null;
}
