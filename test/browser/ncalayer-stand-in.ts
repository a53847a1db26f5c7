/**
 * A stand-in for NCALayer (NCA RK's desktop signer, which cannot run here): a WebSocket server on
 * 127.0.0.1 that speaks the part of NCALayer's protocol ncalayer-js-client uses — the greeting
 * with the version, an unknown-module answer to KAZTOKEN's probe, and the `kz.gov.pki.knca.basics`
 * module's `sign` with format `cms` — and signs with a key of the tests' PKI through the openssl
 * CLI. The messages' shapes are those ncalayer-js-client reads (its setHandlers), not captured
 * from a real NCALayer. WebSocket framing (RFC 6455) is written here for text frames only, so the
 * tests need no WebSocket library.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

export interface StandInKey {
  certPath: string;
  keyPath: string;
  chainPath: string;
  dir: string;
}

export interface NcalayerStandIn {
  url: string;
  /** Every request the page sent, parsed. */
  requests: Record<string, unknown>[];
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const n = payload.length;
  const head =
    n < 126
      ? Buffer.from([0x81, n])
      : n < 65536
        ? Buffer.from([0x81, 126, n >> 8, n & 0xff])
        : Buffer.concat([
            Buffer.from([0x81, 127]),
            (() => {
              const b = Buffer.alloc(8);
              b.writeBigUInt64BE(BigInt(n));
              return b;
            })(),
          ]);
  return Buffer.concat([head, payload]);
}

/** Complete frames at the start of `buf` (the browser masks them): their opcodes and payloads, and what is left. */
function readFrames(buf: Buffer): { frames: { opcode: number; payload: Buffer }[]; rest: Buffer } {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let at = 0;
  for (;;) {
    if (buf.length - at < 2) break;
    const opcode = buf[at] & 0x0f;
    const masked = (buf[at + 1] & 0x80) !== 0;
    let length = buf[at + 1] & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      if (buf.length < offset + 2) break;
      length = buf.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      if (buf.length < offset + 8) break;
      length = Number(buf.readBigUInt64BE(offset));
      offset += 8;
    }
    const maskLength = masked ? 4 : 0;
    if (buf.length < offset + maskLength + length) break;
    const mask = buf.subarray(offset, offset + maskLength);
    const payload = Buffer.from(buf.subarray(offset + maskLength, offset + maskLength + length));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
    frames.push({ opcode, payload });
    at = offset + maskLength + length;
  }
  return { frames, rest: buf.subarray(at) };
}

/** A detached CMS over the bytes, made as NCALayer makes one (SHA-256 for an RSA or EC key). */
function signDetached(key: StandInKey, data: Buffer, n: number): string {
  const input = join(key.dir, `ncalayer-${n}.bin`);
  writeFileSync(input, data);
  const der = execFileSync('openssl', [
    'cms',
    '-sign',
    '-binary',
    '-outform',
    'DER',
    '-md',
    'sha256',
    '-signer',
    key.certPath,
    '-inkey',
    key.keyPath,
    '-certfile',
    key.chainPath,
    '-in',
    input,
  ]);
  return der.toString('base64');
}

export async function startNcalayerStandIn(key: StandInKey): Promise<NcalayerStandIn> {
  const requests: Record<string, unknown>[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(426).end());
  server.on('upgrade', (req, socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A page closing its socket abruptly is not the stand-in's failure.
    socket.on('error', () => socket.destroy());
    const accept = createHash('sha1')
      .update(String(req.headers['sec-websocket-key']) + GUID)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const send = (o: unknown) => socket.write(frame(JSON.stringify(o)));
    // NCALayer greets first; the client takes the version from it.
    send({ result: { version: '1.4' } });
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      const { frames, rest } = readFrames(Buffer.concat([pending, chunk]));
      pending = Buffer.from(rest);
      for (const f of frames) {
        if (f.opcode === 0x8) {
          socket.end(Buffer.from([0x88, 0]));
          return;
        }
        if (f.opcode !== 0x1) continue;
        const request = JSON.parse(f.payload.toString('utf8')) as {
          module?: string;
          method?: string;
          args?: {
            format?: string;
            data?: string | string[];
            signingParams?: { decode?: boolean; encapsulate?: boolean };
          };
        };
        requests.push(request as Record<string, unknown>);
        if (request.module === 'kz.gov.pki.knca.basics' && request.method === 'sign') {
          const args = request.args ?? {};
          if (args.format !== 'cms' || args.signingParams?.decode !== true || typeof args.data !== 'string') {
            send({ status: false, code: '400', message: 'unsupported in the stand-in', details: JSON.stringify(args) });
            continue;
          }
          const data = Buffer.from(args.data, 'base64');
          // encapsulate: false is a detached CMS; the stand-in makes only those (openssl cms -sign detaches by default).
          if (args.signingParams.encapsulate !== false) {
            send({ status: false, code: '400', message: 'only detached CMS in the stand-in', details: '' });
            continue;
          }
          send({ status: true, body: { result: [signDetached(key, data, requests.length)] } });
        } else {
          // What NCALayer answers a module it does not have (the KAZTOKEN probe): not 200.
          send({ code: '500', message: `module ${request.module} not found` });
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
