import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transporter } from 'nodemailer';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, SecretBox } from '@kelisim/platform';
import { DeliveriesService } from './deliveries.service';
import { DeliveryChannel, DeliveryStatus, NotificationDelivery } from './delivery.entity';
import { NotificationSettings } from './notification-settings';
import { messageHtml } from './templates';
import { AttemptLog, attemptWebhook, PermanentDeliveryError } from './webhook-attempt';
import { refuseTarget } from './webhook-target';
import { Webhook } from './webhook.entity';

export type SendOutcome = 'sent' | 'skipped' | 'not_due' | 'failed';

export interface AttemptInfo {
  /** 1 for the first try. */
  attempt: number;
  maxAttempts: number;
}

/** An attempt that failed and may be retried: BullMQ retries when the handler rethrows it. */
export class RetryableDeliveryError extends Error {}

/**
 * Sends one e-mail or webhook delivery. The delivery row is locked for the duration of the send,
 * so a job that runs twice (BullMQ is at-least-once) waits, then finds it sent and skips.
 * A crash mid-send rolls the row back to pending: it is sent again (at-least-once at the SMTP
 * boundary; the Message-ID is the delivery's, so a mail system can drop the duplicate).
 */
@Injectable()
export class DeliverySender implements OnModuleDestroy {
  private readonly logger = new Logger('DeliverySender');
  private transport?: Transporter;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly settings: NotificationSettings,
    private readonly secrets: SecretBox,
    private readonly deliveries: DeliveriesService,
  ) {}

  onModuleDestroy() {
    this.transport?.close();
  }

  /** Sends one e-mail delivery (a webhook delivery goes through `sendWebhooks`). */
  async send(deliveryId: string, info: AttemptInfo): Promise<SendOutcome> {
    let failure: Error | undefined;
    const outcome = await this.db.transaction(async (m): Promise<SendOutcome | 'webhook'> => {
      const [row] = (await m.query(`${SELECT_DELIVERY} WHERE d.id = $1 FOR UPDATE OF d`, [
        deliveryId,
      ])) as DeliveryRow[];
      if (!row || row.status !== DeliveryStatus.Pending) return 'skipped';
      if (row.channel === DeliveryChannel.Webhook) return 'webhook';
      const d = deliveryOf(row);
      const now = this.clock.now();
      if (d.notBefore.getTime() > now.getTime()) return 'not_due';
      if (d.channel !== DeliveryChannel.Email) return 'skipped';
      try {
        await this.sendEmail(d);
        await this.finish(m, [{ id: d.id, status: DeliveryStatus.Sent, error: null }]);
        return 'sent';
      } catch (e) {
        failure = e as Error;
        const final = info.attempt >= info.maxAttempts || e instanceof PermanentDeliveryError;
        await this.finish(m, [
          { id: d.id, status: final ? DeliveryStatus.Failed : DeliveryStatus.Pending, error: failure.message },
        ]);
        return final ? 'failed' : 'skipped';
      }
    });
    if (outcome === 'webhook') return this.sendWebhooks(deliveryId, [], info);
    if (failure && outcome !== 'failed') throw new RetryableDeliveryError(failure.message);
    if (failure) this.logger.warn(`Delivery ${deliveryId} failed for good: ${failure.message}`);
    return outcome;
  }

  /**
   * Sends webhook deliveries concurrently in one transaction, each under its row lock: the job's own
   * (`deliveryId`: waits for its lock) and a batch of others (`more`: rows another job holds, or no
   * longer pending, are left alone). One statement then writes every status and attempt log line.
   * The own delivery's failure is rethrown, so BullMQ retries its job with backoff; another's gets a
   * job of its own, delayed by the same backoff. Attempts are counted in the row.
   */
  async sendWebhooks(deliveryId: string, more: string[], info: AttemptInfo): Promise<SendOutcome> {
    let ownFailure = undefined as Error | undefined;
    let ownOutcome = 'skipped' as SendOutcome;
    const retries: { id: string; attempt: number }[] = [];
    const failedForGood: { id: string; error: string }[] = [];
    await this.db.transaction(async (m) => {
      const [own] = (await m.query(`${SELECT_DELIVERY} WHERE d.id = $1 FOR UPDATE OF d`, [
        deliveryId,
      ])) as DeliveryRow[];
      const others = more.length
        ? ((await m.query(
            `${SELECT_DELIVERY} WHERE d.id = ANY($1::uuid[]) AND d.id <> $2 AND d.status = 'pending' AND d.channel = 'webhook'
              FOR UPDATE OF d SKIP LOCKED`,
            [more, deliveryId],
          )) as DeliveryRow[])
        : [];
      const now = this.clock.now().getTime();
      const work: { row: DeliveryRow; own: boolean; attempt: number }[] = [];
      if (own && own.status === DeliveryStatus.Pending && own.channel === DeliveryChannel.Webhook) {
        if (new Date(own.not_before).getTime() > now) ownOutcome = 'not_due';
        else work.push({ row: own, own: true, attempt: Math.max(info.attempt, own.attempts + 1) });
      }
      for (const row of others)
        if (new Date(row.not_before).getTime() <= now) work.push({ row, own: false, attempt: row.attempts + 1 });
      if (!work.length) return;
      // A batch's deliveries mostly go to a few webhooks: each sealed secret is opened once per batch.
      const opened = new Map<string, string>();
      const openSecret = (sealed: string) => {
        let plain = opened.get(sealed);
        if (plain === undefined) opened.set(sealed, (plain = this.secrets.open(sealed)));
        return plain;
      };
      // And each URL is checked (its host name resolved) once per batch; the connect-time check still applies.
      const refusals = new Map<string, Promise<string | null>>();
      const allowPrivate = this.settings.allowPrivateWebhooks;
      const refuse = (url: string) => {
        let refusal = refusals.get(url);
        if (!refusal) refusals.set(url, (refusal = refuseTarget(url, allowPrivate)));
        return refusal;
      };
      const options = {
        allowPrivate,
        timeoutMs: this.settings.webhookTimeoutMs,
        now: this.clock.now(),
        openSecret,
        refuse,
      };
      const results = await Promise.all(
        work.map((w) => attemptWebhook(deliveryOf(w.row), hookOf(w.row), w.attempt, options)),
      );
      const writes: FinishRow[] = [];
      results.forEach((r, i) => {
        const w = work[i];
        if (r.kind === 'sent') {
          writes.push({ id: w.row.id, status: DeliveryStatus.Sent, error: null, log: r.log });
          if (w.own) ownOutcome = 'sent';
        } else if (r.kind === 'skipped') {
          writes.push({ id: w.row.id, status: DeliveryStatus.Skipped, error: r.reason });
        } else {
          const final = r.permanent || w.attempt >= info.maxAttempts;
          writes.push({
            id: w.row.id,
            status: final ? DeliveryStatus.Failed : DeliveryStatus.Pending,
            error: r.error.message,
            log: r.log,
          });
          if (final) failedForGood.push({ id: w.row.id, error: r.error.message });
          if (w.own) {
            ownFailure = r.error;
            ownOutcome = final ? 'failed' : 'skipped';
          } else if (!final) retries.push({ id: w.row.id, attempt: w.attempt });
        }
      });
      await this.finish(m, writes);
    });
    for (const f of failedForGood) this.logger.warn(`Delivery ${f.id} failed for good: ${f.error}`);
    for (const r of retries)
      await this.deliveries
        .ensureQueued({ id: r.id, channel: DeliveryChannel.Webhook }, this.deliveries.retryDelay(r.attempt))
        .catch((e: Error) =>
          this.logger.warn(`Could not queue a retry of ${r.id} (the reconciler will): ${e.message}`),
        );
    if (ownFailure && ownOutcome !== 'failed') throw new RetryableDeliveryError(ownFailure.message);
    return ownOutcome;
  }

  /** New statuses of deliveries, and their webhook attempts' log lines, in one statement (each attempt counted). */
  private async finish(m: EntityManager, rows: FinishRow[]) {
    if (!rows.length) return;
    const now = this.clock.now();
    await m.query(
      `WITH r AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, status text, error text, log jsonb)
       ), a AS (
         INSERT INTO webhook_attempts (delivery_id, webhook_id, attempt, at, ok, status_code, error, duration_ms)
         SELECT r.id, (r.log->>'webhookId')::uuid, (r.log->>'attempt')::int, $2, (r.log->>'ok')::boolean,
                (r.log->>'statusCode')::int, r.log->>'error', (r.log->>'durationMs')::int
           FROM r WHERE r.log IS NOT NULL
       )
       UPDATE notification_deliveries d
          SET status = r.status, sent_at = CASE WHEN r.status = 'sent' THEN $2::timestamptz END,
              last_error = left(r.error, 2000), attempts = d.attempts + 1
         FROM r WHERE d.id = r.id`,
      [JSON.stringify(rows), now],
    );
  }

  private async sendEmail(d: NotificationDelivery): Promise<void> {
    const url = this.settings.smtpUrl;
    if (!url) throw new PermanentDeliveryError('SMTP_URL is not configured');
    // nodemailer is loaded with the first e-mail (most processes send none). Short timeouts: the
    // delivery row stays locked while the server is talked to. Pooled: up to `maxConnections` (5)
    // SMTP connections stay open and carry up to `maxMessages` (100) messages each, instead of a
    // connection, greeting and login per message. SMTP_URL's query string (`?maxConnections=2`)
    // overrides any of these. The pool is built directly: given `{ url, ... }`, createTransport
    // reads the URL alone and drops every other option.
    if (!this.transport) {
      const [{ createTransport }, { default: SMTPPool }] = await Promise.all([
        import('nodemailer'),
        import('nodemailer/lib/smtp-pool'),
      ]);
      this.transport ??= createTransport(
        new SMTPPool({
          url,
          pool: true,
          maxConnections: 5,
          maxMessages: 100,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 20_000,
        }),
      );
    }
    // Rows written before the HTML was left out of them still carry it.
    const c = d.content as { to: string; subject: string; text: string; html?: string; language?: string };
    await this.transport.sendMail({
      from: this.settings.mailFrom,
      to: c.to,
      subject: c.subject,
      text: c.text,
      html: c.html ?? messageHtml(c.language, c.text),
      messageId: `<${d.id}@kelisim>`,
      headers: { 'Content-Language': c.language ?? 'ru', 'X-Kelisim-Delivery': d.id },
    });
  }
}

export { PermanentDeliveryError };

interface FinishRow {
  id: string;
  status: DeliveryStatus;
  error: string | null;
  log?: AttemptLog;
}

/** The delivery, and its webhook (if any), as one row. */
const SELECT_DELIVERY = `SELECT d.id, d.status, d.channel, d.topic, d.memorandum_id, d.webhook_id, d.not_before, d.content,
       d.created_at, d.attempts, w.id AS w_id, w.url AS w_url, w.secret AS w_secret, w.active AS w_active,
       w.deleted_at AS w_deleted_at
  FROM notification_deliveries d LEFT JOIN webhooks w ON w.id = d.webhook_id`;

interface DeliveryRow {
  id: string;
  status: DeliveryStatus;
  channel: DeliveryChannel;
  topic: string;
  memorandum_id: string | null;
  webhook_id: string | null;
  not_before: Date;
  content: Record<string, unknown>;
  created_at: Date;
  attempts: number;
  w_id: string | null;
  w_url: string;
  w_secret: string;
  w_active: boolean;
  w_deleted_at: Date | null;
}

function deliveryOf(r: DeliveryRow): NotificationDelivery {
  return Object.assign(new NotificationDelivery(), {
    id: r.id,
    status: r.status,
    channel: r.channel,
    topic: r.topic,
    memorandumId: r.memorandum_id,
    webhookId: r.webhook_id,
    notBefore: new Date(r.not_before),
    content: r.content,
    createdAt: new Date(r.created_at),
  });
}

function hookOf(r: DeliveryRow): Pick<Webhook, 'id' | 'url' | 'secret' | 'active' | 'deletedAt'> | null {
  return r.w_id
    ? { id: r.w_id, url: r.w_url, secret: r.w_secret, active: r.w_active, deletedAt: r.w_deleted_at }
    : null;
}
