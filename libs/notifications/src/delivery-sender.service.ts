import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createTransport, Transporter } from 'nodemailer';
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
      const d = await m
        .getRepository(NotificationDelivery)
        .createQueryBuilder('d')
        .setLock('pessimistic_write')
        .where('d.id = :id', { id: deliveryId })
        .getOne();
      if (!d || d.status !== DeliveryStatus.Pending) return 'skipped';
      const now = this.clock.now();
      if (d.notBefore.getTime() > now.getTime()) return 'not_due';
      try {
        if (d.channel === DeliveryChannel.Email) await this.sendEmail(d);
        else if (d.channel === DeliveryChannel.Webhook) {
          const skipped = await this.sendWebhook(m, d, info);
          if (skipped) {
            await this.finish(m, d, DeliveryStatus.Skipped, skipped);
            return 'skipped';
          }
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

  private async finish(m: EntityManager, d: NotificationDelivery, status: DeliveryStatus, error: string | null) {
    await m.getRepository(NotificationDelivery).update(d.id, {
      status,
      sentAt: status === DeliveryStatus.Sent ? this.clock.now() : null,
      lastError: error,
      attempts: () => 'attempts + 1',
    });
  }

  private async sendEmail(d: NotificationDelivery): Promise<void> {
    const url = this.settings.smtpUrl;
    if (!url) throw new PermanentDeliveryError('SMTP_URL is not configured');
    // Short timeouts: the delivery row stays locked while the server is talked to.
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

  /** Returns a reason when there is nothing to send (webhook deleted). Logs every HTTP attempt. */
  private async sendWebhook(m: EntityManager, d: NotificationDelivery, info: AttemptInfo): Promise<string | null> {
    const hook = await m
      .getRepository(Webhook)
      .createQueryBuilder('w')
      .addSelect('w.secret')
      .where('w.id = :id', { id: d.webhookId })
      .getOne();
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
    await log(true, status, null);
    return null;
  }
}

/** A failure that retrying cannot fix (no SMTP configured, refused target). */
export class PermanentDeliveryError extends Error {}
