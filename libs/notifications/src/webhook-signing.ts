/**
 * Webhook requests are signed with HMAC-SHA256 over `${timestamp}.${body}`; receivers recompute it
 * with their secret and refuse stale timestamps. Which targets may be reached: webhook-target.ts.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

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
