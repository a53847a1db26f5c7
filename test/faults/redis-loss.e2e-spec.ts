/**
 * Redis loses everything: a private redis-server is killed (no persistence) while transitions keep
 * arriving and reminders fall due, then started again empty. PostgreSQL holds the schedule and the
 * deliveries; the watchdog re-creates the job schedulers and the reconciler re-queues the timers
 * and deliveries: every reminder is delivered, and none twice.
 */
import { Language, Role } from '@kelisim/identity';
import { memorandumInReview } from '../memoranda.fixture';
import { createOrganisation, createUser, TestUser } from '../support/identity';
import { startTestApp, TestApp } from '../support/test-app';
import { fastTimers, recordEvent, settle, SmtpPeer, startSmtpPeer, waitFor } from './harness';
import { PrivateRedis, sparePort } from './redis';

describe('fault: Redis lost and restarted empty while work keeps arriving', () => {
  let t: TestApp;
  let smtp: SmtpPeer;
  let redis: PrivateRedis;
  let reps: TestUser[];
  let partyId: string;
  let coordId: string;

  beforeAll(async () => {
    redis = new PrivateRedis(await sparePort());
    await redis.start();
    smtp = await startSmtpPeer();
    t = await startTestApp({
      queue: 'redis',
      withWorker: true,
      env: fastTimers({ SMTP_URL: smtp.url, REDIS_URL: redis.url }),
    });
    const coord = await createOrganisation(t, 'Coordinator');
    const party = await createOrganisation(t, 'Party');
    coordId = coord.id;
    partyId = party.id;
    reps = [
      await createUser(t, {
        fullName: 'Rep kk',
        email: 'kk@r.test',
        organisationId: party.id,
        roles: [Role.PartyRepresentative],
        language: Language.Kazakh,
      }),
      await createUser(t, {
        fullName: 'Rep ru',
        email: 'ru@r.test',
        organisationId: party.id,
        roles: [Role.PartyRepresentative],
        language: Language.Russian,
      }),
    ];
  });
  afterAll(async () => {
    await redis?.start().catch(() => undefined); // the app closes its queues cleanly only against a live Redis
    await t?.close();
    await smtp?.close();
    await redis?.kill();
  });

  const submit = (id: string) => recordEvent(t, 'memorandum.submitted', id, { revisionNumber: 1 });
  const inReview = async (n: number, label: string) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push(
        await memorandumInReview(t, {
          title: `M ${label} ${i}`,
          coordinatingOrganisationId: coordId,
          partyOrganisationId: partyId,
        }),
      );
    return ids;
  };

  /** Mails of approval reminders (the submissions' notices, sent at once, come on top: docs/notifications.md). */
  const reminderMails = async () => {
    const rows: { id: string }[] = await t.db.query(
      `SELECT id FROM notification_deliveries WHERE channel = 'email' AND topic = 'approval_reminder'`,
    );
    const ids = new Set(rows.map((r) => r.id));
    return smtp.mails.filter((m) => ids.has(m.deliveryId!));
  };

  it('delivers every reminder exactly once after the loss', async () => {
    const before = await inReview(4, 'before');
    for (const id of before) await submit(id);
    await settle(t);

    t.clock.advanceDays(3);
    await settle(t, 'first reminders before the loss');
    expect(await reminderMails()).toHaveLength(before.length * reps.length);

    await redis.kill();
    // Transitions keep arriving (they only need PostgreSQL) and reminders fall due meanwhile.
    const during = await inReview(4, 'during');
    for (const id of during) await submit(id);
    t.clock.advanceDays(3);
    await new Promise((r) => setTimeout(r, 500));
    const [{ n: stuck }] = await t.db.query(`SELECT count(*)::int AS n FROM outbox_events WHERE processed_at IS NULL`);
    expect(stuck).toBe(during.length);

    await redis.start(); // empty
    await settle(t, 'recovery after Redis came back empty');
    // second reminders of the first batch, and the first ones of the batch submitted while Redis was away
    expect(await reminderMails()).toHaveLength(before.length * reps.length * 2 + during.length * reps.length);
    t.clock.advanceDays(3);
    await settle(t);

    const expected = before.length * reps.length * 3 + during.length * reps.length * 2;
    await waitFor('all mails', async () => (await reminderMails()).length >= expected);
    expect(await reminderMails()).toHaveLength(expected);
    // Every mail — reminders and the submissions' notices — arrived once.
    const ids = smtp.mails.map((m) => m.deliveryId);
    expect(new Set(ids).size).toBe(ids.length);
    const [{ n: sent }] = await t.db.query(
      `SELECT count(*)::int AS n FROM notification_deliveries WHERE channel = 'email' AND status = 'sent' AND topic = 'approval_reminder'`,
    );
    expect(sent).toBe(expected);
    const [{ n: inApp }] = await t.db.query(
      `SELECT count(*)::int AS n FROM notifications WHERE topic = 'approval_reminder'`,
    );
    expect(inApp).toBe(expected);
    const [{ n: notices }] = await t.db.query(
      `SELECT count(*)::int AS n FROM notifications WHERE topic = 'review_requested'`,
    );
    expect(notices).toBe((before.length + during.length) * reps.length);
    expect(smtp.mails).toHaveLength(expected + notices);
  });
});
