import { isPrivateAddress, refuseTarget, signWebhook, verifyWebhook } from './webhook-signing';

describe('webhook signing and targets', () => {
  it('signs timestamp.body with HMAC-SHA256 and verifies it', () => {
    const sig = signWebhook('s3cret', 1632800000, '{"a":1}');
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook('s3cret', 1632800000, '{"a":1}', sig)).toBe(true);
    expect(verifyWebhook('s3cret', 1632800001, '{"a":1}', sig)).toBe(false);
    expect(verifyWebhook('other', 1632800000, '{"a":1}', sig)).toBe(false);
  });

  it('refuses private and loopback targets unless allowed', async () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '192.168.0.1',
      '172.20.0.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ]) {
      expect(isPrivateAddress(a)).toBe(true);
    }
    expect(isPrivateAddress('93.184.216.34')).toBe(false);
    expect(await refuseTarget('http://127.0.0.1:8080/hook', false)).toMatch(/private or loopback/);
    expect(await refuseTarget('http://[::1]/hook', false)).toMatch(/private or loopback/);
    expect(await refuseTarget('http://127.0.0.1:8080/hook', true)).toBeNull();
    expect(await refuseTarget('ftp://example.org', true)).toMatch(/http/);
    expect(await refuseTarget('https://93.184.216.34/hook', false)).toBeNull();
  });
});
