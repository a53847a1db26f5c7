/**
 * A worker killed mid-batch (SIGKILL of a real worker process; queues on Redis, then on PostgreSQL), then restarted:
 * its open transactions roll back, its active jobs stall and run again, the reconciler re-queues
 * what was lost. Every reminder is delivered; in-app notifications exactly once; e-mail at least
 * once, with a duplicate possible only for a message the SMTP server accepted in the instant
 * before the kill (the delivery's Message-ID is stable, so mail systems can drop it).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Language, Role } from '@kelisim/identity';
import { ManualClock } from '@kelisim/platform';
import { memorandumInReview } from '../memoranda.fixture';
import { TEST_REDIS_URL } from '../support/databases';
import { createOrganisation, createUser, TestUser } from '../support/identity';
import { startTestApp, TestApp } from '../support/test-app';
import { fastTimers, recordEvent, SmtpPeer, startSmtpPeer, waitFor } from './harness';

const ROOT = join(__dirname, '..', '..');
const DAY = 24 * 3600 * 1000;

/** The worker's delivery concurrency (its default): at most this many mails are in flight when it is killed. */
const DELIVERY_CONCURRENCY = 10;

function startWorker(overrides: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    // ts-node compiles this one file; the application comes from the build (compiled.ts).
    ['-r', 'ts-node/register', join(__dirname, 'worker-child.ts')],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TS_NODE_TRANSPILE_ONLY: '1',
        KELISIM_OVERRIDES: JSON.stringify(overrides),
        WORKER_LOCK_DURATION_MS: '2000',
        WORKER_STALLED_INTERVAL_MS: '1000',
        DELIVERY_CONCURRENCY: String(DELIVERY_CONCURRENCY),
      },
    },
  );
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${err.slice(0, 2000)}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe.each(['redis', 'postgres'] as const)(
  'fault: a worker process killed mid-batch, then restarted (queue on %s)',
  (queue) => {
    let t: TestApp;
    let smtp: SmtpPeer;
    let reps: TestUser[];
    let worker: ChildProcess | undefined;
    let overrides: Record<string, string>;

    beforeAll(async () => {
      smtp = await startSmtpPeer();
      smtp.delayMs = 15;
      // The API records events "3 days and a minute ago": the real-time worker finds the first reminders due at once.
      t = await startTestApp({
        queue,
        clock: new ManualClock(new Date(Date.now() - 3 * DAY - 60_000)),
        env: fastTimers({ SMTP_URL: smtp.url, QUIET_HOURS_START: '0', QUIET_HOURS_END: '0' }),
      });
      const coord = await createOrganisation(t, 'Coordinator');
      const party = await createOrganisation(t, 'Party');
      reps = [];
      for (const [i, lang] of [Language.Kazakh, Language.Russian, Language.English].entries()) {
        reps.push(
          await createUser(t, {
            fullName: `Rep ${i}`,
            email: `rep${i}@crash.test`,
            organisationId: party.id,
            roles: [Role.PartyRepresentative],
            language: lang,
          }),
        );
      }
      for (let i = 0; i < 30; i++) {
        const id = await memorandumInReview(t, {
          title: `Crash ${i}`,
          coordinatingOrganisationId: coord.id,
          partyOrganisationId: party.id,
        });
        await recordEvent(t, 'memorandum.submitted', id, { revisionNumber: 1 });
      }
      // The worker runs on the real clock: with quiet hours on, a run in the Almaty evening would hold every
      // e-mail until 09:00. Quiet hours have their own tests on a manual clock (notifications, time zones).
      overrides = {
        QUIET_HOURS_START: '0',
        QUIET_HOURS_END: '0',
        NODE_ENV: 'test',
        DATABASE_URL: t.databaseUrl,
        REDIS_URL: queue === 'redis' ? TEST_REDIS_URL : '',
        QUEUE_PREFIX: t.queuePrefix,
        LOG_LEVEL: 'silent',
        MIGRATIONS_RUN: 'false',
        ...fastTimers({ SMTP_URL: smtp.url }),
      };
    });
    afterAll(async () => {
      if (worker) await kill(worker);
      await t?.close();
      await smtp?.close();
    });

    it('delivers every reminder and notice after the restart; in-app exactly once, e-mail duplicates only for messages in flight at the kill', async () => {
      // Each submission tells the representatives at once, and its first reminder is due: two messages each.
      const expected = 30 * reps.length * 2;
      worker = await startWorker(overrides);
      await waitFor('a third of the mails', () => smtp.mails.length >= expected / 3, undefined, 20);
      await kill(worker);
      const atKill = smtp.mails.length;
      expect(atKill).toBeLessThan(expected);

      worker = await startWorker(overrides);
      await waitFor(
        'every delivery sent',
        async () => {
          const [row] = await t.db.query(
            `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*)::int AS total FROM notification_deliveries WHERE channel = 'email'`,
          );
          return row.total === expected && row.sent === expected;
        },
        90_000,
      );
      await kill(worker);
      worker = undefined;

      const [{ n: inApp }] = await t.db.query(`SELECT count(*)::int AS n FROM notifications`);
      expect(inApp).toBe(expected);
      const [{ n: items }] = await t.db.query(
        `SELECT count(*)::int AS n FROM scheduled_items WHERE sequence = 1 AND status = 'done'`,
      );
      expect(items).toBe(30);
      const received = new Map<string, number>();
      for (const m of smtp.mails) received.set(m.deliveryId!, (received.get(m.deliveryId!) ?? 0) + 1);
      expect(received.size).toBe(expected); // every one arrived
      const duplicates = [...received.values()].filter((n) => n > 1).length;
      expect(duplicates).toBeLessThanOrEqual(DELIVERY_CONCURRENCY); // at most the messages in flight at the kill
    }, 360_000); // two worker processes booted through ts-node, and waits of 60 s and 90 s: more than the default bound
  },
);
