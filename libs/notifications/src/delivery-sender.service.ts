import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transporter } from 'nodemailer';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, SecretBox } from '@kelisim/platform';
import { DeliveryChannel, DeliveryStatus, NotificationDelivery } from './delivery.entity';
import { NotificationSettings } from './notification-settings';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signing';
import { postWebhook, refuseTarget, TargetRefusedError } from './webhook-target';
import { Webhook, WebhookAttempt } from './webhook.entity';

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
  ) {}

  onModuleDestroy() {
    this.transport?.close();
  }

  async send(deliveryId: string, info: AttemptInfo): Promise<SendOutcome> {
    let failure: Error | undefined;
    const outcome = await this.db.transaction(async (m): Promise<SendOutcome> => {
      // One statement: the delivery, locked, and its webhook (if any).
      const [row] = (await m.query(
        `SELECT d.id, d.status, d.channel, d.topic, d.memorandum_id, d.webhook_id, d.not_before, d.content, d.created_at,
                w.id AS w_id, w.url AS w_url, w.secret AS w_secret, w.active AS w_active, w.deleted_at AS w_deleted_at
           FROM notification_deliveries d LEFT JOIN webhooks w ON w.id = d.webhook_id
          WHERE d.id = $1 FOR UPDATE OF d`,
        [deliveryId],
      )) as DeliveryRow[];
      if (!row || row.status !== DeliveryStatus.Pending) return 'skipped';
      const d = deliveryOf(row);
      const now = this.clock.now();
      if (d.notBefore.getTime() > now.getTime()) return 'not_due';
      try {
        if (d.channel === DeliveryChannel.Email) await this.sendEmail(d);
        else if (d.channel === DeliveryChannel.Webhook) {
          const sent = await this.sendWebhook(m, d, hookOf(row), info);
          if (typeof sent === 'string') {
            await this.finish(m, d, DeliveryStatus.Skipped, sent);
            return 'skipped';
          }
          await this.finish(m, d, DeliveryStatus.Sent, null, { ...sent, attempt: info.attempt });
          return 'sent';
        } else return 'skipped';
        await this.finish(m, d, DeliveryStatus.Sent, null);
        return 'sent';
      } catch (e) {
        failure = e as Error;
        const final = info.attempt >= info.maxAttempts || e instanceof PermanentDeliveryError;
        await m.getRepository(NotificationDelivery).update(d.id, {
          attempts: () => 'attempts + 1',
          lastError: failure.message.slice(0, 2000),
          ...(final ? { status: DeliveryStatus.Failed } : {}),
        });
        return final ? 'failed' : 'skipped';
      }
    });
    if (failure && outcome !== 'failed') throw new RetryableDeliveryError(failure.message);
    if (failure) this.logger.warn(`Delivery ${deliveryId} failed for good: ${failure.message}`);
    return outcome;
  }

  /** The delivery's new status, and the successful webhook attempt's log line with it (one statement). */
  private async finish(
    m: EntityManager,
    d: NotificationDelivery,
    status: DeliveryStatus,
    error: string | null,
    attempt?: SentAttempt & { attempt: number },
  ) {
    const now = this.clock.now();
    await m.query(
      `WITH a AS (
         INSERT INTO webhook_attempts (delivery_id, webhook_id, attempt, at, ok, status_code, error, duration_ms)
         SELECT $1, $5::uuid, $6::int, $3, true, $7::int, NULL, $8::int WHERE $5::uuid IS NOT NULL
       )
       UPDATE notification_deliveries SET status = $2, sent_at = $4, last_error = $9, attempts = attempts + 1 WHERE id = $1`,
      [
        d.id,
        status,
        now,
        status === DeliveryStatus.Sent ? now : null,
        attempt?.webhookId ?? null,
        attempt?.attempt ?? null,
        attempt?.statusCode ?? null,
        attempt?.durationMs ?? null,
        error,
      ],
    );
  }

  private async sendEmail(d: NotificationDelivery): Promise<void> {
    const url = this.settings.smtpUrl;
    if (!url) throw new PermanentDeliveryError('SMTP_URL is not configured');
    // nodemailer is loaded with the first e-mail (most processes send none). Short timeouts: the
    // delivery row stays locked while the server is talked to.
    const { createTransport } = await import('nodemailer');
    this.transport ??= createTransport({
      url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    const c = d.content as { to: string; subject: string; text: string; html: string; language?: string };
    await this.transport.sendMail({
      from: this.settings.mailFrom,
      to: c.to,
      subject: c.subject,
      text: c.text,
      html: c.html,
      messageId: `<${d.id}@kelisim>`,
      headers: { 'Content-Language': c.language ?? 'ru', 'X-Kelisim-Delivery': d.id },
    });
  }

  /** Returns a reason when there is nothing to send (webhook deleted), else the successful attempt for `finish` to log. Logs failed attempts. */
  private async sendWebhook(
    m: EntityManager,
    d: NotificationDelivery,
    hook: Pick<Webhook, 'id' | 'url' | 'secret' | 'active' | 'deletedAt'> | null,
    info: AttemptInfo,
  ): Promise<string | SentAttempt> {
    if (!hook || !hook.active || hook.deletedAt) return 'webhook deleted';
    const body = JSON.stringify({
      id: d.id,
      event: d.topic,
      memorandumId: d.memorandumId,
      createdAt: d.createdAt.toISOString(),
      data: d.content,
    });
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const started = Date.now();
    const log = (ok: boolean, statusCode: number | null, error: string | null) =>
      m.getRepository(WebhookAttempt).insert({
        deliveryId: d.id,
        webhookId: hook.id,
        attempt: info.attempt,
        at: this.clock.now(),
        ok,
        statusCode,
        error,
        durationMs: Date.now() - started,
      });
    // What the log says is only "refused" or "failed": the reason would make it a port scanner.
    if (await refuseTarget(hook.url, this.settings.allowPrivateWebhooks)) {
      await log(false, null, 'refused');
      throw new PermanentDeliveryError('refused');
    }
    let status: number;
    try {
      status = await postWebhook({
        url: hook.url,
        body,
        timeoutMs: this.settings.webhookTimeoutMs,
        allowPrivate: this.settings.allowPrivateWebhooks,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Kelisim-Webhooks/1',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(this.secrets.open(hook.secret), timestamp, body),
          [DELIVERY_HEADER]: d.id,
          [EVENT_HEADER]: d.topic,
        },
      });
    } catch (e) {
      const refused = e instanceof TargetRefusedError;
      await log(false, null, refused ? 'refused' : 'failed');
      throw refused ? new PermanentDeliveryError('refused') : new Error('failed');
    }
    if (status < 200 || status >= 300) {
      await log(false, status, `HTTP ${status}`);
      throw new Error(`webhook answered HTTP ${status}`);
    }
    return { webhookId: hook.id, statusCode: status, durationMs: Date.now() - started };
  }
}

/** A failure that retrying cannot fix (no SMTP configured, refused target). */
export class PermanentDeliveryError extends Error {}

interface SentAttempt {
  webhookId: string;
  statusCode: number;
  durationMs: number;
}

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
