/**
 * Two API processes and two worker processes (real child processes) on one database and one Redis
 * queue prefix. Memoranda are driven through both APIs in turn; some stay silent in review, some
 * are executed; the clock of every process is moved together. Both workers run the dispatcher,
 * the reconciler and the timers at the same time: every reminder is delivered exactly once per
 * (item, recipient, channel), and each activation and expiry is applied exactly once.
 */
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Language, Role } from '@kelisim/identity';
import { ManualClock, QueueName } from '@kelisim/platform';
import { TEST_REDIS_URL } from '../support/databases';
import { createOrganisation, createUser, PASSWORD, superviseEverything, TestUser } from '../support/identity';
import { startTestApp, TestApp } from '../support/test-app';
import { fastTimers, settle, SmtpPeer, startSmtpPeer } from './harness';
import { ApiClient, KelisimProcess, moveClock, startProcess } from './processes';

const SILENT = 4; // submitted; party A never answers
const EXECUTED = 4; // approved, signed, then activated and expired by the timers
const START = new Date('2021-09-20T10:00:00+06:00');

describe('fault: two API and two worker processes on one database and one Redis', () => {
  let t: TestApp;
  let smtp: SmtpPeer;
  let processes: KelisimProcess[] = [];
  let apis: ApiClient[];
  let coordinator: TestUser;
  let repA1: TestUser;
  let repA2: TestUser;
  let sigA: TestUser;
  let repB: TestUser;
  let sigB: TestUser;
  let supervisor: TestUser;
  let coordOrg: string;
  let orgA: string;
  let orgB: string;
  const names = new Map<string, string>();
  let turn = 0;
  /** The next API, in turn: consecutive requests go to different processes. */
  const api = () => apis[turn++ % apis.length];

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    // This in-process app only makes the fixtures (users through the real services) and reads the database.
    t = await startTestApp({ clock: new ManualClock(START), env: fastTimers({ SMTP_URL: smtp.url }) });
    const coord = await createOrganisation(t, 'Қоғамдық келісім');
    const a = await createOrganisation(t, 'Жастар саясаты басқармасы');
    const b = await createOrganisation(t, 'Жас Отан');
    const oversight = await createOrganisation(t, 'Ішкі саясат басқармасы');
    [coordOrg, orgA, orgB] = [coord.id, a.id, b.id];
    const user = async (fullName: string, email: string, organisationId: string, roles: Role[], language: Language) => {
      const u = await createUser(t, { fullName, email, organisationId, roles, language });
      names.set(u.id, fullName);
      return u;
    };
    coordinator = await user('Парида Мамедова', 'coord@mp.test', coord.id, [Role.Coordinator], Language.Russian);
    repA1 = await user('Айгерім Сәрсенова', 'rep.a1@mp.test', a.id, [Role.PartyRepresentative], Language.Kazakh);
    repA2 = await user('Daniyar Omarov', 'rep.a2@mp.test', a.id, [Role.PartyRepresentative], Language.English);
    sigA = await user('Ерлан Қасымов', 'sig.a@mp.test', a.id, [Role.Signatory], Language.Russian);
    repB = await user('Мария Ким', 'rep.b@mp.test', b.id, [Role.PartyRepresentative], Language.Russian);
    sigB = await user('Асқар Беков', 'sig.b@mp.test', b.id, [Role.Signatory], Language.Kazakh);
    supervisor = await user('Olga Supervisor', 'supervisor@mp.test', oversight.id, [Role.Supervisor], Language.English);
    await superviseEverything(t, supervisor);

    const overrides = {
      NODE_ENV: 'test',
      DATABASE_URL: t.databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: t.queuePrefix,
      LOG_LEVEL: 'silent',
      MIGRATIONS_RUN: 'false',
      LOGIN_RATE_LIMIT: '1000000',
      ...fastTimers({ SMTP_URL: smtp.url }),
    };
    processes = await Promise.all(
      (['api', 'api', 'worker', 'worker'] as const).map((role) => startProcess(role, { overrides, clock: START })),
    );
    apis = processes.filter((p) => p.role === 'api').map((p) => new ApiClient(p.url!));
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await t?.close();
    await smtp?.close();
  });

  /** Logs in through one of the APIs (sessions expire as the clock moves by months). */
  const token = async (u: TestUser): Promise<string> =>
    (await api().expect(200, 'POST', '/auth/login', undefined, { email: u.email, password: PASSWORD })).token;

  async function draft(i: number, coord: string): Promise<string> {
    const m = await api().expect(201, 'POST', '/memoranda', coord, {
      title: `Меморандум №${i}`,
      purpose: 'Бірлік пен келісім',
      body: 'Стороны договорились…',
      language: 'ru',
      effectiveDate: '2021-09-22',
      endDate: '2021-12-31',
      coordinatingOrganisationId: coordOrg,
    });
    for (const org of [orgA, orgB])
      await api().expect(201, 'POST', `/memoranda/${m.id}/parties`, coord, { organisationId: org, role: 'signatory' });
    return m.id;
  }

  async function moveTo(at: string) {
    await moveClock(processes, new Date(at), t.clock);
    await settle(t, `the schedule at ${at}`);
  }

  it('delivers every reminder once per recipient and channel, and applies each activation and expiry once', async () => {
    // Both worker processes consume every queue: they compete for the same jobs.
    for (const name of [QueueName.Outbox, QueueName.Schedule, QueueName.Delivery]) {
      expect([name, await t.app.get<Queue>(getQueueToken(name)).getWorkersCount()]).toEqual([name, 2]);
    }
    let coord = await token(coordinator);
    const tokens = { a: await token(repA1), b: await token(repB), sigA: await token(sigA), sigB: await token(sigB) };
    const silent: string[] = [];
    const executed: string[] = [];
    for (let i = 0; i < SILENT + EXECUTED; i++) {
      const id = await draft(i, coord);
      const hash = (await api().expect(200, 'POST', `/memoranda/${id}/submit`, coord, {})).currentRevision
        .hash as string;
      await api().expect(201, 'POST', `/memoranda/${id}/approvals`, tokens.b, {
        decision: 'approve',
        revisionHash: hash,
      });
      if (i < SILENT) {
        silent.push(id);
        continue;
      }
      await api().expect(201, 'POST', `/memoranda/${id}/approvals`, tokens.a, {
        decision: 'approve',
        revisionHash: hash,
      });
      await api().expect(200, 'POST', `/memoranda/${id}/open-signing`, coord, { mode: 'parallel' });
      await api().expect(201, 'POST', `/memoranda/${id}/signatures`, tokens.sigA, {
        method: 'electronic',
        revisionHash: hash,
        typedName: names.get(sigA.id),
        consent: true,
      });
      await api().expect(201, 'POST', `/memoranda/${id}/signatures`, tokens.sigB, {
        method: 'electronic',
        revisionHash: hash,
        typedName: names.get(sigB.id),
        consent: true,
      });
      executed.push(id);
    }
    await settle(t, 'the submissions');

    await moveTo('2021-09-23T10:00:00+06:00'); // approval reminder 1; activation (due 2021-09-22 00:00)
    await moveTo('2021-09-26T10:00:00+06:00'); // approval reminder 2
    await moveTo('2021-09-29T10:00:00+06:00'); // approval reminder 3
    await moveTo('2021-10-02T10:00:00+06:00'); // escalation; 90-day notice
    await moveTo('2021-12-01T10:00:00+06:00'); // 30-day notice
    await moveTo('2021-12-31T10:00:00+06:00'); // expiry

    // Every memorandum answered through both APIs, and neither ever answered with a server error.
    for (const c of apis) expect(c.serverErrors()).toBe(0);
    for (const c of apis) expect([...c.statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(25); // of about 60 requests
    coord = await token(coordinator);
    const viaA = await apis[0].expect(200, 'GET', `/memoranda/${executed[0]}`, coord);
    const viaB = await apis[1].expect(200, 'GET', `/memoranda/${executed[0]}`, coord);
    expect([viaA.status, viaB.status]).toEqual(['expired', 'expired']);

    // Timed transitions: one `activated` and one `expired` history event per executed memorandum.
    const history: { memorandum_id: string; action: string; n: number }[] = await t.db.query(
      `SELECT memorandum_id, action, count(*)::int AS n FROM history_events WHERE action IN ('activated', 'expired') GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(history).toEqual(
      executed
        .flatMap((id) => [
          { memorandum_id: id, action: 'activated', n: 1 },
          { memorandum_id: id, action: 'expired', n: 1 },
        ])
        .sort((x, y) => x.memorandum_id.localeCompare(y.memorandum_id) || x.action.localeCompare(y.action)),
    );
    const statuses: { status: string; n: number }[] = await t.db.query(
      `SELECT status, count(*)::int AS n FROM memoranda GROUP BY 1 ORDER BY 1`,
    );
    expect(statuses).toEqual([
      { status: 'expired', n: EXECUTED },
      { status: 'in_review', n: SILENT },
    ]);

    // In-app: exactly the expected notifications, none twice for the same source.
    const inbox = async (u: TestUser, topic: string) => {
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND topic = $2`,
        [u.id, topic],
      );
      return n as number;
    };
    expect(await inbox(repA1, 'approval_reminder')).toBe(3 * SILENT);
    expect(await inbox(repA2, 'approval_reminder')).toBe(3 * SILENT);
    expect(await inbox(repB, 'approval_reminder')).toBe(0);
    expect(await inbox(supervisor, 'escalation')).toBe(SILENT);
    for (const u of [repA1, repA2, repB, coordinator]) expect(await inbox(u, 'term_notice')).toBe(2 * EXECUTED);
    expect(await inbox(sigA, 'signature_reminder')).toBe(0);
    const [{ n: twice }] = await t.db.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM notifications GROUP BY user_id, topic, data->>'sourceType', data->>'sourceId' HAVING count(*) > 1) d`,
    );
    expect(twice).toBe(0);
    const [{ n: reminders }] = await t.db.query(
      `SELECT count(*)::int AS n FROM notifications WHERE topic IN ('approval_reminder', 'signature_reminder', 'escalation', 'term_notice')`,
    );
    expect(reminders).toBe(SILENT * (2 * 3 + 1) + EXECUTED * 4 * 2); // nothing else reminds here
    // The notices sent at once for each step (docs/notifications.md) come on top; the e-mails below cover both.
    const [{ n: notifications }] = await t.db.query(`SELECT count(*)::int AS n FROM notifications`);

    // E-mail: every delivery sent, each Message-ID received once (no process died, so not even a duplicate in flight).
    const deliveries: { id: string; status: string }[] = await t.db.query(
      `SELECT id, status FROM notification_deliveries WHERE channel = 'email'`,
    );
    expect(deliveries.length).toBe(notifications);
    expect(deliveries.filter((d) => d.status !== 'sent')).toEqual([]);
    const received = new Map<string, number>();
    for (const m of smtp.mails) received.set(m.deliveryId!, (received.get(m.deliveryId!) ?? 0) + 1);
    expect([...received.keys()].sort()).toEqual(deliveries.map((d) => d.id).sort());
    expect([...received.values()].filter((n) => n > 1)).toEqual([]);

    // The schedule: each timer fired once; nothing left open.
    const items: { kind: string; status: string; n: number }[] = await t.db.query(
      `SELECT kind, status, count(*)::int AS n FROM scheduled_items WHERE kind IN ('activation', 'expiry', 'term_notice', 'escalation') GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(items).toEqual([
      { kind: 'activation', status: 'done', n: EXECUTED },
      { kind: 'escalation', status: 'done', n: SILENT },
      { kind: 'expiry', status: 'done', n: EXECUTED },
      { kind: 'term_notice', status: 'done', n: 2 * EXECUTED },
    ]);
  });
});
