import { signWebhook, verifyWebhook } from './webhook-signing';

describe('webhook signing', () => {
  it('signs timestamp.body with HMAC-SHA256 and verifies it', () => {
    const sig = signWebhook('s3cret', 1632800000, '{"a":1}');
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook('s3cret', 1632800000, '{"a":1}', sig)).toBe(true);
    expect(verifyWebhook('s3cret', 1632800001, '{"a":1}', sig)).toBe(false);
    expect(verifyWebhook('other', 1632800000, '{"a":1}', sig)).toBe(false);
  });
});
