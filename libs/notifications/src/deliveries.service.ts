import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager, In } from 'typeorm';
import { addNewJobs, Clock, ensureJob, isIanaTimeZone, JobName, outsideQuietHours, QueueName } from '@kelisim/platform';
import { NotificationDelivery, DeliveryChannel, DeliveryStatus } from './delivery.entity';
import { NotificationSettings } from './notification-settings';
import { MessageTopic, MessageVars, renderMessage } from './templates';

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
    const rows: Record<string, unknown>[] = [];
    const seen = new Set<string>();
    for (const user of users) {
      if (seen.has(user.id)) continue;
      seen.add(user.id);
      const message = renderMessage(topic, user.language, vars);
      const zone =
        (user.timeZone && isIanaTimeZone(user.timeZone) ? user.timeZone : null) ||
        source.timeZone ||
        this.settings.defaultTimeZone;
      const key = (channel: DeliveryChannel) => `${source.sourceType}:${source.sourceId}:user:${user.id}:${channel}`;
      rows.push(
        {
          key: key(DeliveryChannel.InApp),
          channel: DeliveryChannel.InApp,
          user_id: user.id,
          status: DeliveryStatus.Sent,
          not_before: now,
          sent_at: now,
          attempts: 1,
          content: { title: message.subject, body: message.text },
        },
        {
          key: key(DeliveryChannel.Email),
          channel: DeliveryChannel.Email,
          user_id: user.id,
          status: DeliveryStatus.Pending,
          not_before: outsideQuietHours(now, zone, this.settings.quietHoursStart, this.settings.quietHoursEnd),
          sent_at: null,
          attempts: 0,
          content: { to: user.email, language: user.language, ...message },
        },
      );
    }
    if (!rows.length) return [];
    // One statement: the deliveries (ON CONFLICT DO NOTHING on the idempotency key), and an inbox row with the id of
    // each in-app delivery that is new.
    const inserted = (await manager.query(
      `WITH r AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(key text, channel text, user_id uuid, status text,
                                                          not_before timestamptz, sent_at timestamptz, attempts int, content jsonb)
       ), d AS (
         INSERT INTO notification_deliveries (idempotency_key, source_type, source_id, topic, channel, user_id, memorandum_id,
                                              status, not_before, sent_at, attempts, content, created_at)
         SELECT key, $2, $3, $4, channel, user_id, $5::uuid, status, not_before, sent_at, attempts, content, $6 FROM r
         ON CONFLICT DO NOTHING
         RETURNING id, channel, user_id, content
       ), inbox AS (
         INSERT INTO notifications (id, user_id, topic, memorandum_id, title, body, data, created_at)
         SELECT id, user_id, $4, $5::uuid, content->>'title', content->>'body', $7::jsonb, $6 FROM d WHERE channel = 'in_app'
       )
       SELECT id, channel FROM d`,
      [
        JSON.stringify(rows),
        source.sourceType,
        source.sourceId,
        topic,
        source.memorandumId,
        now,
        JSON.stringify({ ...vars, sourceType: source.sourceType, sourceId: source.sourceId }),
      ],
    )) as { id: string; channel: string }[];
    return inserted.filter((d) => d.channel === DeliveryChannel.Email).map((d) => d.id);
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
    const now = this.clock.now();
    // One statement: a delivery per subscribed, active webhook of these organisations (ON CONFLICT DO NOTHING on the
    // idempotency key `<source>:webhook:<webhook id>:webhook`).
    const inserted = (await manager.query(
      `INSERT INTO notification_deliveries (idempotency_key, source_type, source_id, topic, channel, webhook_id, memorandum_id,
                                            status, not_before, content, created_at)
       SELECT $1 || ':webhook:' || w.id || ':webhook', $2, $3, $4::varchar, 'webhook', w.id, $5::uuid, 'pending', $6, $7::jsonb, $6
         FROM webhooks w
        WHERE w.organisation_id = ANY($8::uuid[]) AND w.active AND w.deleted_at IS NULL
          AND ($4::varchar = ANY(w.events) OR '*' = ANY(w.events))
        ORDER BY w.id
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        `${source.sourceType}:${source.sourceId}`,
        source.sourceType,
        source.sourceId,
        topic,
        source.memorandumId,
        now,
        JSON.stringify({ event: topic, ...body }),
        orgs,
      ],
    )) as { id: string }[];
    return inserted.map((d) => d.id);
  }

  /** Puts new deliveries that are due on the queue (one round trip each way); later ones wait for the reconciler. */
  async enqueue(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const rows = await this.db.getRepository(NotificationDelivery).find({
      select: { id: true, channel: true, notBefore: true },
      where: { id: In(ids), status: DeliveryStatus.Pending },
    });
    const now = this.clock.now().getTime();
    await addNewJobs(
      this.queue,
      rows.filter((d) => d.notBefore.getTime() <= now).map((d) => ({ ...this.job(d), delay: 0 })),
    );
  }

  private job(d: Pick<NotificationDelivery, 'id' | 'channel'>) {
    const email = d.channel === DeliveryChannel.Email;
    return {
      name: email ? JobName.DeliverEmail : JobName.DeliverWebhook,
      jobId: `delivery-${d.id}`,
      data: { deliveryId: d.id },
      opts: {
        attempts: email ? this.settings.emailAttempts : this.settings.webhookAttempts,
        backoff: { type: 'exponential', delay: this.settings.deliveryBackoffMs },
      },
    };
  }

  async ensureQueued(d: Pick<NotificationDelivery, 'id' | 'channel'>, delay = 0): Promise<string> {
    const job = this.job(d);
    return ensureJob(this.queue, job.name, job.jobId, job.data, delay, job.opts);
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
