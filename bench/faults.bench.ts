/**
 * Long variants of the fault tests in test/faults/: the same drills with thousands of reminders and
 * real API and worker processes (test/faults/processes.ts), each compared with a baseline measured
 * in the same run. Prints figures; exits non-zero only when a correctness invariant fails (an in-app
 * reminder lost or duplicated, an e-mail never delivered, a timed transition applied twice), never
 * on timing.
 *
 *   npm run bench:faults                        (BENCH_DRILLS=crash,redis,multi by default)
 *
 * crash  a worker SIGKILLed while a batch of BENCH_REMINDERS (2000) reminders × 2 channels is being
 *        sent, restarted, drained; baseline: the same batch, no kill.
 * redis  a private redis-server SIGKILLed while transitions keep arriving through the HTTP API for
 *        BENCH_OUTAGE_MS (15000) and reminders fall due, then started again empty; baseline: the
 *        drain of the same kind of work before the outage.
 * multi  2 API + 2 worker processes against 1 API + 1 worker on the same load (BENCH_MP_MEMORANDA,
 *        100, half left silent in review, half executed, then activated and expired by the timers).
 *
 * Uses the test services (TEST_DATABASE_ADMIN_URL, TEST_REDIS_URL; defaults 127.0.0.1) and, like
 * jest, a migrated template database made by test/support/global-setup.ts.
 */
import 'reflect-metadata';
import { Language, Role } from '@kelisim/identity';
import { ManualClock } from '@kelisim/platform';
import { TEST_REDIS_URL } from '../test/support/databases';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { createOrganisation, createUser, PASSWORD, TestUser } from '../test/support/identity';
import { memorandumInReview } from '../test/memoranda.fixture';
import { startTestApp, TestApp } from '../test/support/test-app';
import { fastTimers, recordEvent, settle, SmtpPeer, startSmtpPeer, waitFor } from '../test/faults/harness';
import { ApiClient, KelisimProcess, moveClock, startProcess } from '../test/faults/processes';
import { PrivateRedis, sparePort } from '../test/faults/redis';

const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const DRILLS = (process.env.BENCH_DRILLS ?? 'crash,redis,multi').split(',').map((s) => s.trim());
const REMINDERS = num('BENCH_REMINDERS', 2000);
const REPS = num('BENCH_REPS', 4);
const SMTP_DELAY_MS = num('BENCH_SMTP_DELAY_MS', 5);
const OUTAGE_MS = num('BENCH_OUTAGE_MS', 15_000);
const REDIS_BEFORE = num('BENCH_REDIS_BEFORE', 100);
const MP_MEMORANDA = num('BENCH_MP_MEMORANDA', 100);
const MP_CONCURRENCY = num('BENCH_MP_CONCURRENCY', 8);
const LONG = 15 * 60_000; // bound of any wait: a drill that hangs fails instead of running forever

const START = new Date('2021-09-20T10:00:00+06:00');
const DAY = 24 * 3600 * 1000;
const at = (days: number) => new Date(START.getTime() + days * DAY);
const WORKER_ENV = { WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000' };

const failures: string[] = [];
function invariant(ok: boolean, what: string) {
  if (!ok) failures.push(what);
}
const line = (k: string, v: string | number) => console.log(`${k.padEnd(56)} ${v}`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function childOverrides(t: TestApp, smtp: SmtpPeer, redisUrl = TEST_REDIS_URL): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: t.databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: t.queuePrefix,
    LOG_LEVEL: 'silent',
    MIGRATIONS_RUN: 'false',
    LOGIN_RATE_LIMIT: '1000000',
    ...fastTimers({ SMTP_URL: smtp.url }),
  };
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

interface Tally {
  inApp: number;
  inAppDuplicates: number;
  emailRows: number;
  emailSent: number;
  emailDistinct: number;
  emailDuplicates: number;
  emailExtra: number;
}

/**
 * What arrived of the reminders (deliveries of scheduled items; the notices sent at once for each transition come on
 * top and are not counted): in-app rows (and (user, source) pairs with more than one), e-mail rows, and Message-IDs
 * the SMTP peer received.
 */
async function tally(t: TestApp, smtp: SmtpPeer): Promise<Tally> {
  const [row] = await t.db.query(
    `SELECT (SELECT count(*) FROM notifications WHERE data->>'sourceType' = 'scheduled_item')::int AS in_app,
            (SELECT count(*) FROM (SELECT 1 FROM notifications WHERE data->>'sourceType' = 'scheduled_item'
                                    GROUP BY user_id, topic, data->>'sourceId' HAVING count(*) > 1) d)::int AS in_app_dup,
            (SELECT count(*) FROM notification_deliveries WHERE channel = 'email' AND source_type = 'scheduled_item')::int AS email_rows,
            (SELECT count(*) FROM notification_deliveries
              WHERE channel = 'email' AND source_type = 'scheduled_item' AND status = 'sent')::int AS email_sent`,
  );
  const reminders = new Set(
    (
      (await t.db.query(
        `SELECT id FROM notification_deliveries WHERE channel = 'email' AND source_type = 'scheduled_item'`,
      )) as { id: string }[]
    ).map((r) => r.id),
  );
  const mails = smtp.mails.filter((m) => reminders.has(m.deliveryId!));
  const received = new Map<string, number>();
  for (const m of mails) received.set(m.deliveryId!, (received.get(m.deliveryId!) ?? 0) + 1);
  return {
    inApp: row.in_app,
    inAppDuplicates: row.in_app_dup,
    emailRows: row.email_rows,
    emailSent: row.email_sent,
    emailDistinct: received.size,
    emailDuplicates: [...received.values()].filter((n) => n > 1).length,
    emailExtra: mails.length - received.size,
  };
}

function printTally(label: string, x: Tally, expected: number) {
  line(`${label} in-app`, `${x.inApp} of ${expected}, ${x.inAppDuplicates} duplicated`);
  line(
    `${label} e-mail`,
    `${x.emailDistinct} of ${expected} Message-IDs received, ${x.emailDuplicates} received twice or more (${x.emailExtra} extra messages)`,
  );
}

function checkTally(drill: string, x: Tally, expected: number) {
  invariant(x.inApp === expected, `${drill}: ${x.inApp} in-app reminders instead of ${expected}`);
  invariant(x.inAppDuplicates === 0, `${drill}: ${x.inAppDuplicates} in-app reminders delivered twice`);
  invariant(
    x.emailDistinct === expected && x.emailSent === expected,
    `${drill}: ${x.emailDistinct} e-mails received, ${x.emailSent} sent, of ${expected}`,
  );
}

// ---------------------------------------------------------------------------------------------
// crash: SIGKILL of a worker in the middle of a batch of thousands of reminders
// ---------------------------------------------------------------------------------------------

async function crashBatch(kill: boolean) {
  const smtp = await startSmtpPeer();
  smtp.delayMs = SMTP_DELAY_MS;
  const t = await startTestApp({ clock: new ManualClock(START), env: fastTimers({ SMTP_URL: smtp.url }) });
  let worker: KelisimProcess | undefined;
  try {
    const coord = await createOrganisation(t, 'Coordinator');
    const party = await createOrganisation(t, 'Party');
    const langs = [Language.Kazakh, Language.Russian, Language.English];
    for (let i = 0; i < REPS; i++) {
      await createUser(t, {
        fullName: `Rep ${i}`,
        email: `rep${i}@crash.bench`,
        organisationId: party.id,
        roles: [Role.PartyRepresentative],
        language: langs[i % 3],
      });
    }
    const memoranda = Math.ceil(REMINDERS / REPS);
    const expected = memoranda * REPS;
    for (let i = 0; i < memoranda; i++) {
      // A memorandum in review (the reminders read it, its parties and their representatives when
      // they fire), then the event its submission records.
      const id = await memorandumInReview(t, {
        title: `Crash ${i}`,
        coordinatingOrganisationId: coord.id,
        partyOrganisationId: party.id,
      });
      await recordEvent(t, 'memorandum.submitted', id, { revisionNumber: 1 });
    }
    const overrides = childOverrides(t, smtp);
    worker = await startProcess('worker', { overrides, clock: t.clock.now(), env: WORKER_ENV });
    await settle(t, 'the submissions', LONG);

    const t0 = performance.now();
    await moveClock([worker], at(3), t.clock); // every first reminder falls due at once
    let atKill = 0;
    let restartMs = 0;
    let killedAt = 0;
    if (kill) {
      await waitFor('a third of the mails', () => smtp.mails.length >= expected / 3, LONG, 10);
      await worker.kill();
      killedAt = performance.now();
      atKill = smtp.mails.length;
      worker = await startProcess('worker', { overrides, clock: t.clock.now(), env: WORKER_ENV });
      restartMs = performance.now() - killedAt;
    }
    await waitFor(
      'the batch drained',
      async () => {
        const [row] = await t.db.query(
          `SELECT (SELECT count(*) FROM notification_deliveries WHERE channel = 'email' AND status = 'sent')::int AS sent,
                (SELECT count(*) FROM scheduled_items WHERE sequence = 1 AND status = 'done')::int AS fired`,
        );
        return row.sent === expected && row.fired === memoranda;
      },
      LONG,
      50,
    );
    const drainMs = performance.now() - t0;
    const afterKillMs = kill ? performance.now() - killedAt : 0;
    await worker.stop();
    worker = undefined;
    return { expected, memoranda, atKill, restartMs, drainMs, afterKillMs, tally: await tally(t, smtp) };
  } finally {
    await worker?.kill();
    await t.close();
    await smtp.close();
  }
}

async function crashDrill() {
  console.log(
    `\n— crash: a worker SIGKILLed mid-batch (${REMINDERS} reminders × in-app and e-mail, ${REPS} recipients per reminder item, SMTP ${SMTP_DELAY_MS} ms per message)`,
  );
  const base = await crashBatch(false);
  const run = await crashBatch(true);
  line(
    'baseline (no kill): time to drain',
    `${secs(base.drainMs)} (${((2 * base.expected) / (base.drainMs / 1000)).toFixed(0)} deliveries/s)`,
  );
  printTally('baseline', base.tally, base.expected);
  line('kill: mails received when the worker died', `${run.atKill} of ${run.expected}`);
  line('kill: worker restart (process boot)', secs(run.restartMs));
  line('kill: time to drain (clock move → all sent)', `${secs(run.drainMs)} (${secs(run.afterKillMs)} after the kill)`);
  printTally('kill', run.tally, run.expected);
  line('kill / baseline drain time', `${(run.drainMs / base.drainMs).toFixed(2)}×`);
  checkTally('crash baseline', base.tally, base.expected);
  checkTally('crash', run.tally, run.expected);
}

// ---------------------------------------------------------------------------------------------
// redis: Redis killed and restarted empty while transitions keep arriving
// ---------------------------------------------------------------------------------------------

async function redisDrill() {
  console.log(
    `\n— redis: a private redis-server SIGKILLed for ${secs(OUTAGE_MS)} while transitions keep arriving (1 API + 1 worker process), started again empty`,
  );
  const redis = new PrivateRedis(await sparePort());
  await redis.start();
  const smtp = await startSmtpPeer();
  smtp.delayMs = SMTP_DELAY_MS;
  const t = await startTestApp({ clock: new ManualClock(START), env: fastTimers({ SMTP_URL: smtp.url }) }); // fixtures only, on the shared Redis
  let processes: KelisimProcess[] = [];
  try {
    const coord = await createOrganisation(t, 'Coordinator');
    const coordinator = await createUser(t, {
      fullName: 'Coordinator',
      email: 'coord@redis.bench',
      organisationId: coord.id,
      roles: [Role.Coordinator],
    });
    const parties = [await createOrganisation(t, 'Party A'), await createOrganisation(t, 'Party B')];
    const reps = parties.length; // one representative per party: each round of reminders reaches `reps` people per memorandum
    for (const [i, p] of parties.entries())
      await createUser(t, {
        fullName: `Rep ${i}`,
        email: `rep${i}@redis.bench`,
        organisationId: p.id,
        roles: [Role.PartyRepresentative],
        language: i ? Language.Kazakh : Language.Russian,
      });
    processes = await Promise.all(
      (['api', 'worker'] as const).map((role) =>
        startProcess(role, { overrides: childOverrides(t, smtp, redis.url), clock: START, env: WORKER_ENV }),
      ),
    );
    const api = new ApiClient(processes[0].url!);
    const token = async () =>
      (await api.expect(200, 'POST', '/auth/login', undefined, { email: coordinator.email, password: PASSWORD }))
        .token as string;
    /** create, add two parties, submit: four transitions; answers how many were accepted. */
    let lastRefusal = '';
    const step = async (status: number, method: string, path: string, tok: string, body: unknown) => {
      const res = await api.call(method, path, tok, body);
      if (res.status !== status)
        lastRefusal = `${method} ${path.replace(/[0-9a-f-]{36}/, ':id')}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      return res.status === status ? res.body : undefined;
    };
    const submitOne = async (tok: string, i: number): Promise<number> => {
      const m = await step(201, 'POST', '/memoranda', tok, {
        title: `Redis ${i}`,
        purpose: 'Бірлік',
        body: 'Стороны договорились…',
        language: 'ru',
        effectiveDate: '2030-01-01',
        endDate: '2031-01-01',
        coordinatingOrganisationId: coord.id,
      });
      if (!m) return 0;
      for (const [k, p] of parties.entries())
        if (!(await step(201, 'POST', `/memoranda/${m.id}/parties`, tok, { organisationId: p.id, role: 'signatory' })))
          return 1 + k;
      if (!(await step(200, 'POST', `/memoranda/${m.id}/submit`, tok, {}))) return 3;
      return 4;
    };

    let tok = await token();
    const b0 = performance.now();
    await pool(
      Array.from({ length: REDIS_BEFORE }, (_, i) => i),
      4,
      async (i) => {
        if ((await submitOne(tok, i)) !== 4) throw new Error(`a submission failed before the outage: ${lastRefusal}`);
      },
    );
    await settle(t, 'the submissions', LONG);
    await moveClock(processes, at(3), t.clock);
    await settle(t, 'first reminders', LONG);
    const baselineMs = performance.now() - b0;
    line('baseline (Redis up): submit + first reminders', `${REDIS_BEFORE} memoranda, ${secs(baselineMs)}`);

    await redis.kill();
    const outageStart = performance.now();
    await moveClock(processes, at(6), t.clock); // second reminders fall due during the outage
    tok = await token();
    let accepted = 0;
    let refusedOrFailed = 0;
    let during = 0;
    let i = REDIS_BEFORE;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (performance.now() - outageStart < OUTAGE_MS) {
          let done = 0;
          try {
            done = await submitOne(tok, i++);
          } catch {
            // a hung or reset request: counted below
          }
          accepted += done;
          if (done === 4) during++;
          else refusedOrFailed++;
        }
      }),
    );
    const [{ n: backlog }] = await t.db.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE processed_at IS NULL`,
    );
    line(
      'during the outage: transitions accepted',
      `${accepted} (${during} memoranda created, given two parties and submitted; ${(accepted / (OUTAGE_MS / 1000)).toFixed(1)}/s)`,
    );
    line(
      'during the outage: submissions refused or failed',
      `${refusedOrFailed}; 5xx answers: ${api.serverErrors()}${lastRefusal ? `; last: ${lastRefusal}` : ''}`,
    );
    line('outbox events waiting when Redis came back', backlog);

    await redis.start(); // empty
    const r0 = performance.now();
    await settle(t, 'recovery', LONG);
    const recoverMs = performance.now() - r0;
    line('time to recover (restart → backlog and due work done)', secs(recoverMs));
    await moveClock(processes, at(9), t.clock); // third reminders of the first batch, first of the outage batch
    await settle(t, 'the reminders after the outage', LONG);
    await Promise.all(processes.map((p) => p.stop()));
    processes = [];

    const expected = REDIS_BEFORE * reps * 3 + during * reps;
    const x = await tally(t, smtp);
    line('reminders expected (per channel)', `${expected} (${REDIS_BEFORE} × ${reps} × 3 + ${during} × ${reps} × 1)`);
    printTally('after recovery', x, expected);
    checkTally('redis', x, expected);
    invariant(api.serverErrors() === 0, `redis: ${api.serverErrors()} server errors from the API`);
  } finally {
    await Promise.all(processes.map((p) => p.kill()));
    await t.close();
    await smtp.close();
    await redis.kill();
  }
}

// ---------------------------------------------------------------------------------------------
// multi: 2 API + 2 workers against 1 API + 1 worker
// ---------------------------------------------------------------------------------------------

async function multiLoad(apiCount: number, workerCount: number) {
  const smtp = await startSmtpPeer();
  smtp.delayMs = SMTP_DELAY_MS;
  const t = await startTestApp({ clock: new ManualClock(START), env: fastTimers({ SMTP_URL: smtp.url }) });
  let processes: KelisimProcess[] = [];
  try {
    const coordOrg = await createOrganisation(t, 'Қоғамдық келісім');
    const a = await createOrganisation(t, 'Жастар саясаты басқармасы');
    const b = await createOrganisation(t, 'Жас Отан');
    const oversight = await createOrganisation(t, 'Ішкі саясат басқармасы');
    const u = (fullName: string, email: string, organisationId: string, roles: Role[], language: Language) =>
      createUser(t, { fullName, email, organisationId, roles, language }).then((x) => ({ ...x, fullName }));
    const coordinator = await u('Парида Мамедова', 'coord@mp.bench', coordOrg.id, [Role.Coordinator], Language.Russian);
    const repA1 = await u('Айгерім Сәрсенова', 'rep.a1@mp.bench', a.id, [Role.PartyRepresentative], Language.Kazakh);
    await u('Daniyar Omarov', 'rep.a2@mp.bench', a.id, [Role.PartyRepresentative], Language.English);
    const sigA = await u('Ерлан Қасымов', 'sig.a@mp.bench', a.id, [Role.Signatory], Language.Russian);
    const repB = await u('Мария Ким', 'rep.b@mp.bench', b.id, [Role.PartyRepresentative], Language.Russian);
    const sigB = await u('Асқар Беков', 'sig.b@mp.bench', b.id, [Role.Signatory], Language.Kazakh);
    await u('Olga Supervisor', 'supervisor@mp.bench', oversight.id, [Role.Supervisor], Language.English);

    const roles = [...Array(apiCount).fill('api'), ...Array(workerCount).fill('worker')] as ('api' | 'worker')[];
    processes = await Promise.all(
      roles.map((role) => startProcess(role, { overrides: childOverrides(t, smtp), clock: START, env: WORKER_ENV })),
    );
    const apis = processes.filter((p) => p.role === 'api').map((p) => new ApiClient(p.url!));
    let turn = 0;
    const api = () => apis[turn++ % apis.length];
    const token = async (x: TestUser) =>
      (await api().expect(200, 'POST', '/auth/login', undefined, { email: x.email, password: PASSWORD }))
        .token as string;
    const tok = {
      coord: await token(coordinator),
      a: await token(repA1),
      b: await token(repB),
      sigA: await token(sigA),
      sigB: await token(sigB),
    };

    const silentCount = Math.ceil(MP_MEMORANDA / 2);
    const executed: string[] = [];
    let requests = 0;
    const call = async (status: number, method: string, path: string, token: string, body: unknown) => {
      requests++;
      return api().expect(status, method, path, token, body);
    };
    const d0 = performance.now();
    await pool(
      Array.from({ length: MP_MEMORANDA }, (_, i) => i),
      MP_CONCURRENCY,
      async (i) => {
        const m = await call(201, 'POST', '/memoranda', tok.coord, {
          title: `Меморандум №${i}`,
          purpose: 'Бірлік пен келісім',
          body: 'Стороны договорились…',
          language: 'ru',
          effectiveDate: '2021-09-22',
          endDate: '2021-12-31',
          coordinatingOrganisationId: coordOrg.id,
        });
        for (const org of [a.id, b.id])
          await call(201, 'POST', `/memoranda/${m.id}/parties`, tok.coord, { organisationId: org, role: 'signatory' });
        const hash = (await call(200, 'POST', `/memoranda/${m.id}/submit`, tok.coord, {})).currentRevision
          .hash as string;
        await call(201, 'POST', `/memoranda/${m.id}/approvals`, tok.b, { decision: 'approve', revisionHash: hash });
        if (i < silentCount) return;
        await call(201, 'POST', `/memoranda/${m.id}/approvals`, tok.a, { decision: 'approve', revisionHash: hash });
        await call(200, 'POST', `/memoranda/${m.id}/open-signing`, tok.coord, { mode: 'parallel' });
        await call(201, 'POST', `/memoranda/${m.id}/signatures`, tok.sigA, {
          method: 'electronic',
          revisionHash: hash,
          typedName: sigA.fullName,
          consent: true,
        });
        await call(201, 'POST', `/memoranda/${m.id}/signatures`, tok.sigB, {
          method: 'electronic',
          revisionHash: hash,
          typedName: sigB.fullName,
          consent: true,
        });
        executed.push(m.id);
      },
    );
    const driveMs = performance.now() - d0;
    const s0 = performance.now();
    await settle(t, 'the submissions', LONG);
    for (const days of [3, 6, 9, 12, 72, 102]) {
      // reminders 1–3, escalation + 90-day notice, 30-day notice, expiry
      await moveClock(processes, at(days), t.clock);
      await settle(t, `the schedule at +${days} days`, LONG);
    }
    const timersMs = performance.now() - s0;
    await Promise.all(processes.map((p) => p.stop()));
    processes = [];

    const expected = silentCount * (2 * 3 + 1) + executed.length * 4 * 2;
    const [timed] = await t.db.query(
      `SELECT count(*) FILTER (WHERE activated <> 1)::int AS bad_activations, count(*) FILTER (WHERE expired <> 1)::int AS bad_expiries,
              coalesce(sum(greatest(activated - 1, 0)), 0)::int AS extra_activations, coalesce(sum(greatest(expired - 1, 0)), 0)::int AS extra_expiries
         FROM (SELECT m.id, (SELECT count(*) FROM history_events h WHERE h.memorandum_id = m.id AND h.action = 'activated') AS activated,
                            (SELECT count(*) FROM history_events h WHERE h.memorandum_id = m.id AND h.action = 'expired') AS expired
                 FROM memoranda m WHERE m.id = ANY($1)) x`,
      [executed],
    );
    return {
      expected,
      executed: executed.length,
      requests,
      driveMs,
      timersMs,
      timed,
      tally: await tally(t, smtp),
      serverErrors: apis.reduce((n, c) => n + c.serverErrors(), 0),
    };
  } finally {
    await Promise.all(processes.map((p) => p.kill()));
    await t.close();
    await smtp.close();
  }
}

async function multiDrill() {
  console.log(
    `\n— multi: ${MP_MEMORANDA} memoranda (half silent in review, half executed), ${MP_CONCURRENCY} memoranda driven at a time, 6 clock moves`,
  );
  const runs = [
    { label: '1 API + 1 worker', r: await multiLoad(1, 1) },
    { label: '2 API + 2 workers', r: await multiLoad(2, 2) },
  ];
  for (const { label, r } of runs) {
    const deliveries = r.tally.inApp + r.tally.emailDistinct;
    line(
      `${label}: HTTP transitions`,
      `${r.requests} in ${secs(r.driveMs)} = ${(r.requests / (r.driveMs / 1000)).toFixed(0)}/s, 5xx: ${r.serverErrors}`,
    );
    line(
      `${label}: timers (6 clock moves to quiet)`,
      `${secs(r.timersMs)}, ${deliveries} deliveries = ${(deliveries / (r.timersMs / 1000)).toFixed(0)}/s`,
    );
    printTally(`${label}:`, r.tally, r.expected);
    line(
      `${label}: timed transitions`,
      `${r.executed} memoranda; activated ≠ once: ${r.timed.bad_activations}, expired ≠ once: ${r.timed.bad_expiries}; extra activations ${r.timed.extra_activations}, extra expiries ${r.timed.extra_expiries}`,
    );
    checkTally(`multi ${label}`, r.tally, r.expected);
    invariant(
      r.timed.bad_activations === 0 && r.timed.bad_expiries === 0,
      `multi ${label}: timed transitions not applied exactly once`,
    );
    invariant(r.serverErrors === 0, `multi ${label}: ${r.serverErrors} server errors`);
  }
  const [one, two] = runs.map((x) => x.r);
  line('2+2 / 1+1 HTTP throughput', `${(two.requests / two.driveMs / (one.requests / one.driveMs)).toFixed(2)}×`);
  line('2+2 / 1+1 timer throughput', `${(one.timersMs / two.timersMs).toFixed(2)}×`);
}

async function main() {
  console.log(`Kelisim fault drills — ${new Date().toISOString()}, drills: ${DRILLS.join(', ')}`);
  await globalSetup();
  try {
    if (DRILLS.includes('crash')) await crashDrill();
    if (DRILLS.includes('redis')) await redisDrill();
    if (DRILLS.includes('multi')) await multiDrill();
  } finally {
    await globalTeardown();
  }
  console.log(
    failures.length
      ? `\nINVARIANTS FAILED:\n  ${failures.join('\n  ')}`
      : '\nall invariants held (in-app exactly once, every e-mail delivered, timed transitions once)',
  );
  if (failures.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
