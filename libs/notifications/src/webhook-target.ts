/**
 * Where a webhook may be delivered: only to public unicast addresses, checked twice — when it is
 * registered (a clear 400) and at connect time on the address actually connected to, so a name
 * that resolves elsewhere later (DNS rebinding) or an address written in another form
 * (`[::ffff:7f00:1]`, NAT64 `[64:ff9b::7f00:1]`) cannot reach the inside. WEBHOOK_ALLOW_PRIVATE
 * turns both checks off (tests, closed networks).
 */
import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, LookupFunction, Socket } from 'node:net';
import * as ipaddr from 'ipaddr.js';

/**
 * ipaddr.js's range of an address, IPv4-mapped forms unwrapped to the IPv4 they carry; only
 * `unicast` is public. Every special range — loopback, private, link-local, CGNAT, benchmarking,
 * documentation, multicast, site-local, NAT64, 6to4, Teredo, reserved — is something else.
 */
export function addressRange(address: string): string {
  if (!ipaddr.isValid(address)) return 'invalid';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    // IPv4-compatible (::a.b.c.d, deprecated) and anything else in ::/96 carries an IPv4 address too.
    else if (v6.parts.slice(0, 6).every((p) => p === 0))
      return v6.parts[7] === 1 && v6.parts[6] === 0 ? 'loopback' : 'ipv4Compatible';
  }
  return parsed.range();
}

export function isPublicAddress(address: string | undefined): boolean {
  return !!address && addressRange(address) === 'unicast';
}

/** Why `url` may not be a webhook target, or null. Resolves the host name (the connect-time check still applies). */
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
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return 'the host name does not resolve';
  }
  return addresses.every(isPublicAddress)
    ? null
    : 'must reach a public address (not loopback, private, link-local or reserved); set WEBHOOK_ALLOW_PRIVATE=true to allow';
}

/** The target is not public: the delivery log says only this. */
export class TargetRefusedError extends Error {
  constructor() {
    super('refused');
  }
}

/** A DNS lookup for the HTTP agent that fails unless every address of the name is public. */
const publicLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    if (!addresses.length || !addresses.every((a) => isPublicAddress(a.address)))
      return callback(new TargetRefusedError(), '', 0);
    if ((options as { all?: boolean }).all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

/**
 * Keep-alive agents (no TCP and TLS handshake per delivery), one pair per mode so that a socket
 * opened with private targets allowed is never reused where they are not. A reused socket was
 * checked when it connected.
 */
const agents = {
  checked: {
    http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  },
  private: {
    http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  },
};

export interface WebhookPost {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
}

/**
 * POSTs once, following no redirect; answers the status code. Fails with TargetRefusedError when
 * the address connected to is not public (checked on the socket itself, which also covers IP
 * literals, where no lookup happens), else with Error('failed') — never with why.
 */
export function postWebhook(p: WebhookPost): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(p.url);
    const tls = u.protocol === 'https:';
    const pool = p.allowPrivate ? agents.private : agents.checked;
    const req = (tls ? https : http).request(u, {
      method: 'POST',
      agent: tls ? pool.https : pool.http,
      timeout: p.timeoutMs,
      headers: { ...p.headers, 'content-length': String(Buffer.byteLength(p.body)) },
      ...(p.allowPrivate ? {} : { lookup: publicLookup }),
    });
    let refused = false;
    req.on('socket', (socket: Socket) => {
      if (p.allowPrivate) return;
      socket.once('connect', () => {
        if (!isPublicAddress(socket.remoteAddress)) {
          refused = true;
          req.destroy(new TargetRefusedError());
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) =>
      reject(refused || e instanceof TargetRefusedError ? new TargetRefusedError() : new Error('failed')),
    );
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => reject(new Error('failed')));
    });
    req.end(p.body);
  });
}
