/**
 * How soon a step's people are told (docs/notifications.md): for each memorandum submitted through the API, the time
 * from the submit's answer to the representative's unread notice in `GET /me/notifications`, and to its e-mail at a
 * real SMTP peer. Baseline, in the same run and app: the time from recording an event no reaction tells anyone about
 * (`amendment.started`) to its `processed_at` — the dispatcher's own latency, which the notice cannot beat.
 * `BENCH_MEMORANDA` (20) per series; `OUTBOX_DISPATCH_EVERY_MS` as in production (2000) unless set.
 * Exits non-zero only when a notice is missing or sent twice.
 */
import 'reflect-metadata';
import { Language, Role } from '@kelisim/identity';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { createOrganisation, createUser, TestUser } from '../test/support/identity';
import { memorandumInReview } from '../test/memoranda.fixture';
import { startTestApp, TestApp } from '../test/support/test-app';
import { recordEvent, SmtpPeer, startSmtpPeer } from '../test/faults/harness';

const N = Number(process.env.BENCH_MEMORANDA ?? 20);
const EVERY = process.env.OUTBOX_DISPATCH_EVERY_MS ?? '2000';
const line = (k: string, v: string | number) => console.log(`${k.padEnd(56)} ${v}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `p50 ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms (n = ${s.length})`;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function run(t: TestApp, smtp: SmtpPeer, coordinator: TestUser, rep: TestUser, coordId: string, partyId: string) {
  // Baseline: an event without notices, recorded as a transition would, until it is processed.
  const baseline: number[] = [];
  for (let i = 0; i < N; i++) {
    const id = await memorandumInReview(t, {
      title: `Baseline ${i}`,
      coordinatingOrganisationId: coordId,
      partyOrganisationId: partyId,
    });
    await recordEvent(t, 'amendment.started', id, { revisionNumber: 1 });
    const started = performance.now();
    await until('the baseline event', async () => {
      const [row] = await t.db.query(
        `SELECT processed_at FROM outbox_events WHERE aggregate_id = $1 AND type = 'amendment.started'`,
        [id],
      );
      return row?.processed_at ? true : undefined;
    });
    baseline.push(performance.now() - started);
  }
  const inApp: number[] = [];
  const email: number[] = [];
  for (let i = 0; i < N; i++) {
    const created = await t
      .http()
      .post('/memoranda')
      .set(coordinator.auth)
      .send({ title: `Notice ${i}`, purpose: 'p', body: 'b', language: 'ru', coordinatingOrganisationId: coordId });
    const id: string = created.body.id;
    for (const organisationId of [partyId, coordId])
      await t
        .http()
        .post(`/memoranda/${id}/parties`)
        .set(coordinator.auth)
        .send({ organisationId, role: 'signatory' })
        .expect(201);
    await t.http().post(`/memoranda/${id}/submit`).set(coordinator.auth).send({}).expect(200);
    const answered = performance.now();
    await until('the unread notice', async () => {
      const failed = await t.db.query(
        `SELECT type, last_error FROM outbox_events WHERE last_error IS NOT NULL LIMIT 1`,
      );
      if (failed.length) throw new Error(`an event failed: ${failed[0].type}: ${failed[0].last_error}`);
      const res = await t.http().get('/me/notifications?unread=true&pageSize=5').set(rep.auth);
      return (res.body.items as { memorandumId: string }[]).some((n) => n.memorandumId === id) ? true : undefined;
    });
    inApp.push(performance.now() - answered);
    // The test clock stands still, so every notice has the same time: the inbox is emptied for the next one to lead.
    await t.http().post('/me/notifications/read-all').set(rep.auth).expect(200);
    const [row] = await t.db.query(
      `SELECT id FROM notification_deliveries WHERE memorandum_id = $1 AND channel = 'email' AND topic = 'review_requested'`,
      [id],
    );
    await until('the e-mail', async () => (smtp.mails.some((m) => m.deliveryId === row.id) ? true : undefined));
    email.push(performance.now() - answered);
  }
  return { baseline, inApp, email };
}

async function main() {
  await globalSetup();
  const smtp = await startSmtpPeer();
  let t: TestApp | undefined;
  try {
    t = await startTestApp({
      queue: 'redis',
      withWorker: true,
      env: { SMTP_URL: smtp.url, OUTBOX_DISPATCH_EVERY_MS: EVERY, LOG_LEVEL: 'silent' },
    });
    const coord = await createOrganisation(t, 'Қоғамдық келісім');
    const party = await createOrganisation(t, 'Жас Отан');
    const coordinator = await createUser(t, {
      fullName: 'Coordinator',
      email: 'coord@bench.test',
      organisationId: coord.id,
      roles: [Role.Coordinator],
    });
    const rep = await createUser(t, {
      fullName: 'Representative',
      email: 'rep@bench.test',
      organisationId: party.id,
      roles: [Role.PartyRepresentative],
      language: Language.Kazakh,
    });
    console.log(
      `Kelisim notices at once — ${new Date().toISOString()}, ${N} memoranda per series, OUTBOX_DISPATCH_EVERY_MS=${EVERY}`,
    );
    const r = await run(t, smtp, coordinator, rep, coord.id, party.id);
    line('baseline: event recorded → processed (no notice)', stats(r.baseline));
    line('submit answered → unread notice in GET /me/notifications', stats(r.inApp));
    line('submit answered → e-mail received by the SMTP peer', stats(r.email));
    const [{ dup }] = await t.db.query(
      `SELECT count(*)::int AS dup FROM (SELECT 1 FROM notification_deliveries GROUP BY idempotency_key HAVING count(*) > 1) d`,
    );
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE topic = 'review_requested'`);
    line('review_requested in-app notices / duplicated keys', `${n} of ${N} / ${dup}`);
    if (n !== N || dup !== 0) process.exitCode = 1;
  } finally {
    await t?.close();
    await smtp.close();
    await globalTeardown();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
