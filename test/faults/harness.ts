/**
 * Real peers for the reminder, notification and fault e2e tests: an SMTP server (smtp-server) and
 * an HTTP webhook receiver, both on 127.0.0.1 with a port chosen by the system, and a bounded poll.
 */
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { TestApp } from '../support/test-app';
import { login } from '../support/identity';
import { WAIT_LIMIT_MS, waitFor } from '../support/wait';

export { waitFor };

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  language: string | undefined;
  deliveryId: string | undefined;
  raw: string;
}

export interface SmtpPeer {
  url: string;
  mails: ReceivedMail[];
  /** While true, every message is refused with a 451 (temporary failure). */
  refuse: boolean;
  /** Milliseconds the server takes before accepting a message (0: at once). */
  delayMs: number;
  close(): Promise<void>;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= and =?UTF-8?Q?…?=), as nodemailer writes non-ASCII subjects. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\r?\n[ \t]+/g, ' ')
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-Fa-f]{2})/g, (_m: string, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0];
  const m = new RegExp(`^${name}:((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return m ? m[1].trim() : undefined;
}

export async function startSmtpPeer(): Promise<SmtpPeer> {
  const peer = { mails: [] as ReceivedMail[], refuse: false, delayMs: 0 } as SmtpPeer;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (peer.delayMs) await new Promise((r) => setTimeout(r, peer.delayMs));
        if (peer.refuse) return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
        const raw = Buffer.concat(chunks).toString('utf8');
        peer.mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: decodeHeader(header(raw, 'Subject') ?? ''),
          language: header(raw, 'Content-Language'),
          deliveryId: header(raw, 'X-Kelisim-Delivery'),
          raw,
        });
        callback();
      });
    },
  });
  // A client killed mid-session (the crash tests) resets its connection: not a failure of the peer.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  peer.url = `smtp://127.0.0.1:${port}`;
  peer.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return peer;
}

export interface ReceivedHook {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: Record<string, unknown>;
  status: number;
}

export interface HookPeer {
  url: string;
  received: ReceivedHook[];
  /** Status to answer with (default 200). */
  status: number;
  /** Paths (after the peer's url) answered with 500 whatever `status` says. */
  failing: Set<string>;
  close(): Promise<void>;
}

export async function startHookPeer(): Promise<HookPeer> {
  const peer = { received: [] as ReceivedHook[], status: 200, failing: new Set<string>() } as HookPeer;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body);
      } catch {
        // recorded as is
      }
      const status = [...peer.failing].some((p) => req.url?.endsWith(p)) ? 500 : peer.status;
      peer.received.push({ path: req.url ?? '', headers: req.headers, body, json, status });
      res.statusCode = status;
      res.end(status < 300 ? 'ok' : 'nope');
    });
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/kelisim`;
  peer.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return peer;
}

/** Environment for a test app whose timers run often enough that moving the clock is all a test does. */
export function fastTimers(extra: Record<string, string> = {}): Record<string, string> {
  return {
    OUTBOX_DISPATCH_EVERY_MS: '150',
    SCHEDULE_RECONCILE_EVERY_MS: '200',
    DELIVERY_BACKOFF_MS: '100',
    SCHEDULE_FIRE_BACKOFF_MS: '100',
    ...extra,
  };
}

/** Waits until nothing due is left: events dispatched, due items fired, due deliveries sent or failed. */
export async function settle(t: TestApp, what = 'the schedule to settle', timeoutMs = WAIT_LIMIT_MS): Promise<void> {
  // Quiet when nothing due is left: events dispatched, due items fired, due deliveries sent or failed.
  await waitFor(
    what,
    async () => {
      const now = t.clock.now();
      const [row] = await t.db.query(
        `SELECT (SELECT count(*) FROM outbox_events WHERE processed_at IS NULL AND available_at <= $1)::int AS events,
              (SELECT count(*) FROM scheduled_items WHERE status IN ('pending', 'enqueued') AND due_at <= $1)::int AS items,
              (SELECT count(*) FROM notification_deliveries WHERE status = 'pending' AND not_before <= $1)::int AS deliveries`,
        [now],
      );
      return row.events + row.items + row.deliveries === 0;
    },
    timeoutMs,
  );
}

/** Records an outbox event as a transition would (tests of the machinery without the lifecycle). */
export async function recordEvent(
  t: TestApp,
  type: string,
  memorandumId: string,
  payload: Record<string, unknown>,
): Promise<void> {
  const now = t.clock.now();
  await t.db.query(
    `INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload, occurred_at, available_at) VALUES ($1, 'memorandum', $2, $3, $4, $4)`,
    [type, memorandumId, JSON.stringify({ memorandumId, ...payload }), now],
  );
}

/**
 * A fresh bearer header: tests move the clock by days and months, past the session lifetime,
 * so each request after a move logs in again through the real POST /auth/login.
 */
export async function authOf(t: TestApp, user: { email: string }): Promise<{ Authorization: string }> {
  return { Authorization: `Bearer ${await login(t, user.email)}` };
}
