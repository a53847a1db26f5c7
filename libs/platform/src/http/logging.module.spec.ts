import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pinoHttp from 'pino-http';
import { requestLogOptions } from './logging.module';

describe('the request log', () => {
  it("writes a feed's URL without its token, a request's headers not at all, a session cookie redacted", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pinoHttp(requestLogOptions('info'), stream);
    const server = createServer((req, res) => {
      log(req, res);
      res.setHeader('Set-Cookie', `kelisim_session=kls_secret; HttpOnly`);
      res.end('ok');
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const token = 'klf_' + 'A'.repeat(43);
      const path = `/organisations/0b6b0f5e-8d4d-4d1e-9a55-0c1f2f8f0d11/calendar.ics?token=${token}&%74oken=${token}`;
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      server.close();
    }
    const out = lines.join('');
    expect(out).toContain('/calendar.ics?token=[REDACTED]&%74oken=[REDACTED]');
    expect(out).not.toContain('klf_');
    expect(out).not.toContain('kls_secret');
    expect(out).toContain('"x-request-id"');
  });
});
