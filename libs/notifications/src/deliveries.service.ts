import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock, ensureJob, isIanaTimeZone, JobName, outsideQuietHours, QueueName } from '@kelisim/platform';
import { NotificationDelivery, DeliveryChannel, DeliveryStatus } from './delivery.entity';
import { InboxNotification } from './notification.entity';
import { NotificationSettings } from './notification-settings';
import { MessageTopic, MessageVars, renderMessage } from './templates';
import { Webhook } from './webhook.entity';

export interface DeliverySource {
  /** `scheduled_item` or `event`. */
  sourceType: 'scheduled_item' | 'event';
  sourceId: string;
  memorandumId: string | null;
  /** The memorandum's time zone: quiet hours of recipients without a zone of their own. */
  timeZone: string;
}

export interface UserRecipient {
  id: string;
  email: string;
  language: string;
  /** The user's own IANA zone for quiet hours; null or absent: the source's (memorandum's) zone. */
  timeZone?: string | null;
}

/**
 * The one writer of notification_deliveries' status. Deliveries are created inside the caller's
 * transaction with ON CONFLICT DO NOTHING on the idempotency key; after the commit the caller
 * hands the returned ids to `enqueue` (and the reconciler finds any it did not).
 */
@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger('Deliveries');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Delivery) private readonly queue: Queue,
    private readonly clock: Clock,
    private readonly settings: NotificationSettings,
  ) {}

  /**
   * In-app (delivered at once, into the inbox) and e-mail (queued, outside quiet hours in the
   * recipient's zone, else the memorandum's) for each user. Returns new e-mail delivery ids.
   */
  async notifyUsers(
    manager: EntityManager,
    source: DeliverySource,
    topic: MessageTopic,
    users: UserRecipient[],
    vars: MessageVars,
  ): Promise<string[]> {
    const now = this.clock.now();
    const emailIds: string[] = [];
    const seen = new Set<string>();
    for (const user of users) {
      if (seen.has(user.id)) continue;
      seen.add(user.id);
      const message = renderMessage(topic, user.language, vars);
      const base = {
        sourceType: source.sourceType,
        sourceId: source.sourceId,
        topic,
        userId: user.id,
        memorandumId: source.memorandumId,
      };
      const inApp = await this.insert(manager, {
        ...base,
        channel: DeliveryChannel.InApp,
        status: DeliveryStatus.Sent,
        notBefore: now,
        sentAt: now,
        attempts: 1,
        content: { title: message.subject, body: message.text },
      });
      if (inApp) {
        await manager.getRepository(InboxNotification).insert({
          id: inApp,
          userId: user.id,
          topic,
          memorandumId: source.memorandumId,
          title: message.subject,
          body: message.text,
          // eslint-disable-next-line no-restricted-syntax -- TypeORM's QueryDeepPartialEntity does not accept a jsonb column typed as an interface
          data: { ...vars, sourceType: source.sourceType, sourceId: source.sourceId } as never,
          createdAt: now,
        });
      }
      const zone =
        (user.timeZone && isIanaTimeZone(user.timeZone) ? user.timeZone : null) ||
        source.timeZone ||
        this.settings.defaultTimeZone;
      const notBefore = outsideQuietHours(now, zone, this.settings.quietHoursStart, this.settings.quietHoursEnd);
      const email = await this.insert(manager, {
        ...base,
        channel: DeliveryChannel.Email,
        status: DeliveryStatus.Pending,
        notBefore,
        content: { to: user.email, language: user.language, ...message },
      });
      if (email) emailIds.push(email);
    }
    return emailIds;
  }

  /**
   * One webhook delivery per active webhook of the organisations that subscribed to `topic`
   * (or to `*`). Returns new delivery ids.
   */
  /** An outbox event to the webhooks of the organisations it concerns that subscribed to its type. */
  notifyWebhooksOfEvent(
    manager: EntityManager,
    event: { id: string; type: string; aggregateId: string; payload: object; occurredAt: Date },
    organisationIds: string[],
    timeZone: string,
  ): Promise<string[]> {
    const source = { sourceType: 'event' as const, sourceId: event.id, memorandumId: event.aggregateId, timeZone };
    const body = { ...event.payload, occurredAt: event.occurredAt.toISOString() };
    return this.notifyWebhooks(manager, source, event.type, organisationIds, body);
  }

  async notifyWebhooks(
    manager: EntityManager,
    source: DeliverySource,
    topic: string,
    organisationIds: string[],
    body: Record<string, unknown>,
  ): Promise<string[]> {
    const orgs = [...new Set(organisationIds.filter(Boolean))];
    if (!orgs.length) return [];
    const hooks = await manager
      .getRepository(Webhook)
      .createQueryBuilder('w')
      .where('w.organisation_id IN (:...orgs)', { orgs })
      .andWhere('w.active AND w.deleted_at IS NULL')
      .andWhere("(:topic = ANY(w.events) OR '*' = ANY(w.events))", { topic })
      .getMany();
    const now = this.clock.now();
    const ids: string[] = [];
    for (const hook of hooks) {
      const id = await this.insert(manager, {
        sourceType: source.sourceType,
        sourceId: source.sourceId,
        topic,
        channel: DeliveryChannel.Webhook,
        webhookId: hook.id,
        memorandumId: source.memorandumId,
        status: DeliveryStatus.Pending,
        notBefore: now,
        content: { event: topic, ...body },
      });
      if (id) ids.push(id);
    }
    return ids;
  }

  private async insert(manager: EntityManager, row: Partial<NotificationDelivery>): Promise<string | null> {
    const recipient = row.channel === DeliveryChannel.Webhook ? `webhook:${row.webhookId}` : `user:${row.userId}`;
    const idempotencyKey = `${row.sourceType}:${row.sourceId}:${recipient}:${row.channel}`;
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(NotificationDelivery)
      // eslint-disable-next-line no-restricted-syntax -- TypeORM's QueryDeepPartialEntity does not accept a jsonb column typed as an interface
      .values({ ...row, idempotencyKey, createdAt: this.clock.now() } as never)
      .orIgnore()
      .returning(['id'])
      .execute();
    const inserted = result.raw as { id: string }[];
    return inserted.length ? inserted[0].id : null;
  }

  /** Puts deliveries that are due on the queue (deterministic job ids); later ones wait for the reconciler. */
  async enqueue(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const rows = await this.db
      .getRepository(NotificationDelivery)
      .find({ where: { id: In(ids), status: DeliveryStatus.Pending } });
    const now = this.clock.now().getTime();
    for (const d of rows) {
      const delay = d.notBefore.getTime() - now;
      if (delay > 0) continue;
      await this.ensureQueued(d);
    }
  }

  async ensureQueued(d: Pick<NotificationDelivery, 'id' | 'channel'>, delay = 0): Promise<string> {
    const email = d.channel === DeliveryChannel.Email;
    return ensureJob(
      this.queue,
      email ? JobName.DeliverEmail : JobName.DeliverWebhook,
      `delivery-${d.id}`,
      { deliveryId: d.id },
      delay,
      {
        attempts: email ? this.settings.emailAttempts : this.settings.webhookAttempts,
        backoff: { type: 'exponential', delay: this.settings.deliveryBackoffMs },
      },
    );
  }

  /** Pending e-mail and webhook deliveries that are due but not on the queue (after a Redis loss, a crash, quiet hours). */
  async reconcile(limit = 500): Promise<number> {
    const due = await this.db
      .getRepository(NotificationDelivery)
      .createQueryBuilder('d')
      .where('d.status = :s', { s: DeliveryStatus.Pending })
      .andWhere('d.not_before <= :now', { now: this.clock.now() })
      .andWhere('d.channel IN (:...ch)', { ch: [DeliveryChannel.Email, DeliveryChannel.Webhook] })
      .orderBy('d.not_before')
      .limit(limit)
      .getMany();
    let added = 0;
    for (const d of due) if ((await this.ensureQueued(d)) === 'added') added++;
    return added;
  }
}
