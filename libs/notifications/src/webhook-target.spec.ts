import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { addressRange, isPublicAddress, postWebhook, refuseTarget, TargetRefusedError } from './webhook-target';

describe('webhook targets: only public unicast addresses', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '192.168.0.1',
    '172.20.0.1',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '192.0.2.1',
    '240.0.0.1',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    'fec0::1',
    'ff02::1',
    // The forms of the security review: mapped, compatible and NAT64 addresses of 127.0.0.1, 169.254.169.254 and 10.0.0.1.
    '::ffff:7f00:1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '::ffff:10.0.0.1',
    '::127.0.0.1',
    '::7f00:1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::1',
    '2001::1',
    '2001:db8::1',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '::ffff:8.8.8.8', '2a00:1450:4001:80b::200e'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('names the range (mapped forms unwrapped)', () => {
    expect(addressRange('::ffff:7f00:1')).toBe('loopback');
    expect(addressRange('64:ff9b::7f00:1')).toBe('rfc6052');
    expect(addressRange('not-an-ip')).toBe('invalid');
  });

  it('refuses URLs whose host is, or resolves to, a non-public address unless allowed', async () => {
    for (const url of [
      'http://[::ffff:7f00:1]:18081/x',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[64:ff9b::7f00:1]/',
      'http://198.18.0.1/',
      'http://localhost:8080/',
    ]) {
      expect(await refuseTarget(url, false)).toMatch(/public address/);
    }
    expect(await refuseTarget('http://127.0.0.1:8080/hook', true)).toBeNull();
    expect(await refuseTarget('ftp://example.org', true)).toMatch(/http/);
    expect(await refuseTarget('https://93.184.216.34/hook', false)).toBeNull();
  });
});

describe('postWebhook: the address connected to is checked at connect time', () => {
  let server: Server;
  let port: number;
  let received = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      received++;
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const post = (url: string, allowPrivate: boolean) =>
    postWebhook({ url, body: '{}', headers: { 'content-type': 'application/json' }, timeoutMs: 5000, allowPrivate });

  it('a name that resolves to loopback when delivering (DNS rebinding) is refused, nothing is sent', async () => {
    await expect(post(`http://localhost:${port}/x`, false)).rejects.toBeInstanceOf(TargetRefusedError);
    expect(received).toBe(0);
  });

  it('an IP literal in any form reaching loopback is refused on the socket, nothing is sent', async () => {
    for (const host of ['127.0.0.1', '[::ffff:7f00:1]']) {
      await expect(post(`http://${host}:${port}/x`, false)).rejects.toThrow('refused');
    }
    expect(received).toBe(0);
  });

  it('a closed port says only "failed"; WEBHOOK_ALLOW_PRIVATE lets tests deliver locally', async () => {
    await expect(post('http://127.0.0.1:1/x', true)).rejects.toThrow(/^failed$/);
    expect(await post(`http://127.0.0.1:${port}/x`, true)).toBe(204);
    expect(received).toBe(1);
  });
});
