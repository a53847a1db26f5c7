/**
 * Deliveries against real peers: webhooks signed and retried (every attempt logged, failed at the
 * end and visible), e-mail retried while the SMTP server refuses, the in-app inbox, quiet hours,
 * and a reminder fired twice that is delivered once. Each case has a real memorandum in review
 * (the fixture's rows); its events are inserted into the outbox as a transition would. The cases follow the
 * reminders' deliveries (`source_type = 'scheduled_item'`): the submission's notices (notices.e2e-spec.ts) come on top.
 */
import { Language, Role } from '@kelisim/identity';
import { verifyWebhook } from '@kelisim/notifications';
import { ScheduleService } from '@kelisim/reminders';
import { memorandumInReview } from './memoranda.fixture';
import { createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';
import {
  authOf,
  fastTimers,
  HookPeer,
  recordEvent,
  settle,
  SmtpPeer,
  startHookPeer,
  startSmtpPeer,
  waitFor,
} from './faults/harness';

describe('notifications: webhooks, e-mail, inbox, quiet hours, idempotency (queue on redis)', () => {
  let t: TestApp;
  let smtp: SmtpPeer;
  let hooks: HookPeer;
  let coordinator: TestUser;
  let rep: TestUser;
  let other: TestUser;
  let partyId: string;
  let coordId: string;

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    hooks = await startHookPeer();
    t = await startTestApp({
      queue: 'redis',
      withWorker: true,
      env: fastTimers({
        SMTP_URL: smtp.url,
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_ATTEMPTS: '3',
        EMAIL_ATTEMPTS: '3',
      }),
    });
    const coord = await createOrganisation(t, 'Қоғамдық келісім');
    const party = await createOrganisation(t, 'Жас Ұлан');
    coordId = coord.id;
    partyId = party.id;
    coordinator = await createUser(t, {
      fullName: 'Coordinator',
      email: 'coord@n.test',
      organisationId: coord.id,
      roles: [Role.Coordinator],
      language: Language.English,
    });
    rep = await createUser(t, {
      fullName: 'Әлия Нұрланқызы',
      email: 'rep@n.test',
      organisationId: party.id,
      roles: [Role.PartyRepresentative],
      language: Language.Kazakh,
    });
    other = await createUser(t, {
      fullName: 'Other',
      email: 'other@n.test',
      organisationId: party.id,
      roles: [Role.Signatory],
      language: Language.Russian,
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await hooks?.close();
  });

  const inReview = (title: string) =>
    memorandumInReview(t, { title, coordinatingOrganisationId: coordId, partyOrganisationId: partyId });

  it('registers a webhook (secret shown once) and POSTs events signed with HMAC-SHA256 over timestamp.body', async () => {
    const created = await t
      .http()
      .post('/webhooks')
      .set(await authOf(t, coordinator))
      .send({ url: hooks.url, events: ['memorandum.submitted', 'approval_reminder'] });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const list = await t
      .http()
      .get('/webhooks')
      .set(await authOf(t, coordinator));
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).not.toHaveProperty('secret');
    expect(
      (
        await t
          .http()
          .get('/webhooks')
          .set(await authOf(t, rep))
      ).body.items,
    ).toHaveLength(0);
    expect(
      (
        await t
          .http()
          .post('/webhooks')
          .set(await authOf(t, coordinator))
          .send({ url: 'ftp://x', events: ['*'] })
      ).status,
    ).toBe(400);

    const memorandumId = await inReview('Webhook test');
    await recordEvent(t, 'memorandum.submitted', memorandumId, { revisionNumber: 1 });
    await settle(t);
    const got = (await waitFor('the webhook', () => hooks.received.find((h) => h.json.memorandumId === memorandumId)))!;
    expect(got.headers['x-kelisim-event']).toBe('memorandum.submitted');
    const ts = Number(got.headers['x-kelisim-timestamp']);
    expect(verifyWebhook(created.body.secret, ts, got.body, String(got.headers['x-kelisim-signature']))).toBe(true);
    expect(verifyWebhook('wrong-secret-0123456789', ts, got.body, String(got.headers['x-kelisim-signature']))).toBe(
      false,
    );
    expect(got.json).toMatchObject({ event: 'memorandum.submitted', memorandumId, data: { revisionNumber: 1 } });
    expect(JSON.stringify(got.json)).not.toContain('parties');

    // the first approval reminder, 3 days later, goes to the party's representative and to the webhook
    t.clock.advanceDays(3);
    await settle(t);
    await waitFor('the reminder webhook', () =>
      hooks.received.find(
        (h) =>
          h.json.event === 'approval_reminder' &&
          (h.json.data as { memorandumId: string }).memorandumId === memorandumId,
      ),
    );
    const deliveries = await t
      .http()
      .get(`/webhooks/${created.body.id}/deliveries`)
      .set(await authOf(t, coordinator));
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items.map((d: { event: string; status: string }) => [d.event, d.status]).sort()).toEqual([
      ['approval_reminder', 'sent'],
      ['memorandum.submitted', 'sent'],
    ]);
    expect(deliveries.body.items[0].attemptLog).toEqual([
      expect.objectContaining({ attempt: 1, ok: true, statusCode: 200 }),
    ]);
    await t
      .http()
      .delete(`/webhooks/${created.body.id}`)
      .set(await authOf(t, coordinator))
      .expect(204);
  });

  it('retries a webhook answering 500 with backoff, logs every attempt, then marks it failed', async () => {
    const created = await t
      .http()
      .post('/webhooks')
      .set(await authOf(t, coordinator))
      .send({ url: `${hooks.url}/failing`, events: ['*'] });
    hooks.status = 500;
    try {
      const memorandumId = await inReview('Failing hook');
      await recordEvent(t, 'memorandum.withdrawn', memorandumId, {});
      const failed = await waitFor('the failed delivery', async () => {
        const res = await t
          .http()
          .get(`/webhooks/${created.body.id}/deliveries`)
          .set(await authOf(t, coordinator));
        return res.body.items.find((d: { status: string }) => d.status === 'failed');
      });
      expect(failed.attempts).toBe(3);
      expect(failed.lastError).toMatch(/HTTP 500/);
      expect(
        failed.attemptLog.map((a: { attempt: number; statusCode: number; ok: boolean }) => [
          a.attempt,
          a.statusCode,
          a.ok,
        ]),
      ).toEqual([
        [1, 500, false],
        [2, 500, false],
        [3, 500, false],
      ]);
      expect(hooks.received.filter((h) => h.json.memorandumId === memorandumId)).toHaveLength(3);
    } finally {
      hooks.status = 200;
    }
  });

  it('sends the webhook deliveries of one event together; each failing one is retried until its attempts (counted in its row) run out, the others are sent once', async () => {
    const urls = ['/ok', '/down-1', '/down-2', '/down-3'];
    const ids: string[] = [];
    for (const path of urls) {
      const res = await t
        .http()
        .post('/webhooks')
        .set(await authOf(t, coordinator))
        .send({ url: `${hooks.url}${path}`, events: ['memorandum.withdrawn'] });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    for (const path of urls.slice(1)) hooks.failing.add(path);
    try {
      const memorandumId = await inReview('Batch of hooks');
      await recordEvent(t, 'memorandum.withdrawn', memorandumId, {});
      const deliveries = await waitFor('every failing delivery failed for good', async () => {
        const rows: { url: string; status: string; attempts: number }[] = await t.db.query(
          `SELECT w.url, d.status, d.attempts FROM notification_deliveries d JOIN webhooks w ON w.id = d.webhook_id
            WHERE d.memorandum_id = $1 AND d.webhook_id = ANY($2::uuid[])`,
          [memorandumId, ids],
        );
        return rows.length === 4 && rows.filter((r) => r.status === 'failed').length === 3 ? rows : undefined;
      });
      expect(deliveries!.find((d) => d.url.endsWith('/ok'))).toMatchObject({ status: 'sent', attempts: 1 });
      for (const d of deliveries!.filter((x) => !x.url.endsWith('/ok'))) expect(d.attempts).toBe(3);
      const log: { url: string; attempt: number; ok: boolean }[] = await t.db.query(
        `SELECT w.url, a.attempt, a.ok FROM webhook_attempts a JOIN webhooks w ON w.id = a.webhook_id
           JOIN notification_deliveries d ON d.id = a.delivery_id
          WHERE d.memorandum_id = $1 AND d.webhook_id = ANY($2::uuid[]) ORDER BY w.url, a.attempt`,
        [memorandumId, ids],
      );
      for (const path of urls.slice(1))
        expect(log.filter((a) => a.url.endsWith(path)).map((a) => [a.attempt, a.ok])).toEqual([
          [1, false],
          [2, false],
          [3, false],
        ]);
      const received = hooks.received.filter(
        (h) => h.json.memorandumId === memorandumId && urls.some((u) => h.path.endsWith(u)),
      );
      expect(received.filter((h) => h.path.endsWith('/ok'))).toHaveLength(1);
      for (const path of urls.slice(1)) expect(received.filter((h) => h.path.endsWith(path))).toHaveLength(3);
    } finally {
      hooks.failing.clear();
      for (const id of ids)
        await t
          .http()
          .delete(`/webhooks/${id}`)
          .set(await authOf(t, coordinator))
          .expect(204);
    }
  });

  it('retries e-mail while the SMTP server refuses; delivered once when it accepts; failed and visible when it never does', async () => {
    smtp.refuse = true;
    const memorandumId = await inReview('SMTP test');
    await recordEvent(t, 'memorandum.submitted', memorandumId, { revisionNumber: 1 });
    await settle(t);
    t.clock.advanceDays(3);
    await waitFor('a refused attempt', async () => {
      const [d] = await t.db.query(
        `SELECT attempts FROM notification_deliveries WHERE memorandum_id = $1 AND channel = 'email' AND source_type = 'scheduled_item'`,
        [memorandumId],
      );
      return d && d.attempts >= 1;
    });
    smtp.refuse = false;
    await settle(t);
    const [d] = await t.db.query(
      `SELECT id, status, attempts, last_error FROM notification_deliveries WHERE memorandum_id = $1 AND channel = 'email' AND source_type = 'scheduled_item'`,
      [memorandumId],
    );
    expect(d.status).toBe('sent');
    expect(d.attempts).toBeGreaterThanOrEqual(2);
    const sent = smtp.mails.filter((m) => m.deliveryId === d.id);
    expect(sent).toHaveLength(1);
    // The row keeps the text only; the mail still has both parts, the HTML built from the text when sent.
    const [{ content }] = await t.db.query(`SELECT content FROM notification_deliveries WHERE id = $1`, [d.id]);
    expect(Object.keys(content).sort()).toEqual(['language', 'subject', 'text', 'to']);
    expect(sent[0].raw).toMatch(/Content-Type: text\/plain/i);
    const htmlPart =
      /Content-Type: text\/html; charset=utf-8\r?\nContent-Transfer-Encoding: base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/i.exec(
        sent[0].raw,
      );
    const html = Buffer.from(htmlPart?.[1] ?? '', 'base64').toString('utf8');
    expect(html).toMatch(/^<!doctype html><html lang="kk"><body><p>«SMTP test»/);

    // never accepted: failed after EMAIL_ATTEMPTS, with the reason
    smtp.refuse = true;
    try {
      t.clock.advanceDays(3);
      await settle(t);
      const [second] = await t.db.query(
        `SELECT status, attempts, last_error FROM notification_deliveries WHERE memorandum_id = $1 AND channel = 'email' AND source_type = 'scheduled_item' AND status <> 'sent'`,
        [memorandumId],
      );
      expect(second).toMatchObject({ status: 'failed', attempts: 3 });
      expect(second.last_error).toMatch(/451/);
    } finally {
      smtp.refuse = false;
    }
  });

  it('keeps an inbox per user with an unread count; only its owner reads a notification', async () => {
    const res = await t
      .http()
      .get('/me/notifications')
      .set(await authOf(t, rep));
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThanOrEqual(2);
    expect(res.body.unreadCount).toBe(res.body.items.length);
    expect(res.body.items[0].title).toMatch(/^Еске салу/);
    const id = res.body.items[0].id;
    expect(
      (
        await t
          .http()
          .post(`/me/notifications/${id}/read`)
          .set(await authOf(t, other))
      ).status,
    ).toBe(404);
    const read = await t
      .http()
      .post(`/me/notifications/${id}/read`)
      .set(await authOf(t, rep));
    expect(read.status).toBe(200);
    expect(read.body.readAt).toBeTruthy();
    const after = await t
      .http()
      .get('/me/notifications')
      .set(await authOf(t, rep));
    expect(after.body.unreadCount).toBe(res.body.unreadCount - 1);
    expect(
      (
        await t
          .http()
          .get('/me/notifications')
          .set(await authOf(t, rep))
          .query({ unread: 'true' })
      ).body.items,
    ).toHaveLength(res.body.unreadCount - 1);
  });

  it('holds e-mail during quiet hours (21:00–09:00 in the memorandum time zone) while the inbox gets it at once', async () => {
    t.clock.set('2021-10-10T19:00:00+06:00');
    const memorandumId = await inReview('Quiet hours');
    await recordEvent(t, 'memorandum.submitted', memorandumId, { revisionNumber: 1 });
    await settle(t);
    t.clock.set('2021-10-13T22:30:00+06:00');
    await settle(t);
    const [email] = await t.db.query(
      `SELECT id, status, not_before FROM notification_deliveries WHERE memorandum_id = $1 AND channel = 'email' AND source_type = 'scheduled_item'`,
      [memorandumId],
    );
    expect(email.status).toBe('pending');
    expect(new Date(email.not_before).toISOString()).toBe('2021-10-14T03:00:00.000Z');
    const [inApp] = await t.db.query(
      `SELECT status FROM notification_deliveries WHERE memorandum_id = $1 AND channel = 'in_app' AND source_type = 'scheduled_item'`,
      [memorandumId],
    );
    expect(inApp.status).toBe('sent');
    t.clock.set('2021-10-14T09:00:00+06:00');
    await settle(t);
    expect(smtp.mails.filter((m) => m.deliveryId === email.id)).toHaveLength(1);
  });

  it('fires a reminder once however many times its job runs, and creates one delivery per recipient and channel', async () => {
    const memorandumId = await inReview('Twice');
    await recordEvent(t, 'memorandum.submitted', memorandumId, { revisionNumber: 1 });
    await recordEvent(t, 'memorandum.submitted', memorandumId, { revisionNumber: 1 });
    await settle(t);
    const items = await t.db.query(`SELECT id FROM scheduled_items WHERE memorandum_id = $1`, [memorandumId]);
    expect(items).toHaveLength(1);
    t.clock.advanceDays(3);
    const schedule = t.app.get(ScheduleService);
    const outcomes = await Promise.all([
      schedule.fire(items[0].id),
      schedule.fire(items[0].id),
      schedule.fire(items[0].id),
    ]);
    expect(outcomes.filter((o) => o === 'fired')).toHaveLength(1);
    expect(await schedule.fire(items[0].id)).toBe('skipped');
    await settle(t);
    const rows = await t.db.query(
      `SELECT channel, count(*)::int AS n FROM notification_deliveries WHERE source_id = $1 GROUP BY channel ORDER BY channel`,
      [items[0].id],
    );
    expect(rows).toEqual([
      { channel: 'email', n: 1 },
      { channel: 'in_app', n: 1 },
      { channel: 'webhook', n: 1 },
    ]);
    const [email] = await t.db.query(
      `SELECT id FROM notification_deliveries WHERE source_id = $1 AND channel = 'email'`,
      [items[0].id],
    );
    expect(smtp.mails.filter((m) => m.deliveryId === email.id)).toHaveLength(1);
  });
});
