import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobsOptions, Queue } from 'bullmq';
import { DataSource, EntityManager, In } from 'typeorm';
import { addNewJobs, Clock, ensureJob, isIanaTimeZone, JobName, outsideQuietHours, QueueName } from '@kelisim/platform';
import { NotificationDelivery, DeliveryChannel, DeliveryStatus } from './delivery.entity';
import { NotificationSettings } from './notification-settings';
import { MessageTopic, MessageVars, RenderedMessage, renderMessage } from './templates';

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
  /** In-app only: the user turned e-mail off for this kind of message. */
  inAppOnly?: boolean;
  /** In-app now, e-mail in the user's daily digest (DigestService). */
  digest?: boolean;
}

/** Webhook deliveries per delivery job: sent concurrently, under their row locks, in one transaction. */
export const WEBHOOK_BATCH = 50;

export interface UserNotice {
  source: DeliverySource;
  topic: MessageTopic;
  users: UserRecipient[];
  vars: MessageVars;
}

export interface WebhookNotice {
  source: DeliverySource;
  topic: string;
  organisationIds: string[];
  body: Record<string, unknown>;
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
  notifyUsers(
    manager: EntityManager,
    source: DeliverySource,
    topic: MessageTopic,
    users: UserRecipient[],
    vars: MessageVars,
  ): Promise<string[]> {
    return this.notifyUsersMany(manager, [{ source, topic, users, vars }]);
  }

  /**
   * `notifyUsers` for many messages (of a batch of fired items) in one statement. The quiet-hours instant is worked
   * out once per time zone and the message once per language and message, not once per recipient.
   */
  async notifyUsersMany(manager: EntityManager, notices: UserNotice[]): Promise<string[]> {
    const now = this.clock.now();
    const rows: Record<string, unknown>[] = [];
    const notBefore = new Map<string, Date>();
    const zoneOk = new Map<string, boolean>();
    const emailAfter = (zone: string): Date => {
      let at = notBefore.get(zone);
      if (!at) {
        at = outsideQuietHours(now, zone, this.settings.quietHoursStart, this.settings.quietHoursEnd);
        notBefore.set(zone, at);
      }
      return at;
    };
    const ownZone = (zone: string | null | undefined): string | null => {
      if (!zone) return null;
      let ok = zoneOk.get(zone);
      if (ok === undefined) zoneOk.set(zone, (ok = isIanaTimeZone(zone)));
      return ok ? zone : null;
    };
    for (const { source, topic, users, vars } of notices) {
      const seen = new Set<string>();
      const messages = new Map<string, RenderedMessage>();
      const common = {
        source_type: source.sourceType,
        source_id: source.sourceId,
        topic,
        memorandum_id: source.memorandumId,
      };
      const data = { ...vars, sourceType: source.sourceType, sourceId: source.sourceId };
      const prefix = `${source.sourceType}:${source.sourceId}:user:`;
      for (const user of users) {
        if (seen.has(user.id)) continue;
        seen.add(user.id);
        let message = messages.get(user.language);
        if (!message) messages.set(user.language, (message = renderMessage(topic, user.language, vars)));
        const zone = ownZone(user.timeZone) || source.timeZone || this.settings.defaultTimeZone;
        rows.push({
          ...common,
          key: `${prefix}${user.id}:${DeliveryChannel.InApp}`,
          data,
          channel: DeliveryChannel.InApp,
          user_id: user.id,
          status: DeliveryStatus.Sent,
          not_before: now,
          sent_at: now,
          attempts: 1,
          // The message itself is the inbox row's (same id), not repeated here.
          content: {},
          title: message.subject,
          body: message.text,
          for_digest: !user.inAppOnly && !!user.digest,
        });
        if (!user.inAppOnly && !user.digest)
          rows.push({
            // No `data`: only the in-app row's goes into the inbox. No HTML: the sender builds it from the text.
            ...common,
            key: `${prefix}${user.id}:${DeliveryChannel.Email}`,
            channel: DeliveryChannel.Email,
            user_id: user.id,
            status: DeliveryStatus.Pending,
            not_before: emailAfter(zone),
            sent_at: null,
            attempts: 0,
            content: { to: user.email, language: user.language, subject: message.subject, text: message.text },
          });
      }
    }
    if (!rows.length) return [];
    // One statement: the deliveries (ON CONFLICT DO NOTHING on the idempotency key), and an inbox row with the id of
    // each in-app delivery that is new.
    const inserted = (await manager.query(
      `WITH r AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(key text, source_type text, source_id text, topic text,
                                                          memorandum_id uuid, data jsonb, channel text, user_id uuid,
                                                          status text, not_before timestamptz, sent_at timestamptz,
                                                          attempts int, content jsonb, title text, body text,
                                                          for_digest boolean)
       ), d AS (
         INSERT INTO notification_deliveries (idempotency_key, source_type, source_id, topic, channel, user_id, memorandum_id,
                                              status, not_before, sent_at, attempts, content, created_at)
         SELECT key, source_type, source_id, topic, channel, user_id, memorandum_id, status, not_before, sent_at, attempts,
                content, $2 FROM r
         ON CONFLICT DO NOTHING
         RETURNING id, idempotency_key, channel, user_id, topic, memorandum_id
       ), inbox AS (
         INSERT INTO notifications (id, user_id, topic, memorandum_id, title, body, data, for_digest, created_at)
         SELECT d.id, d.user_id, d.topic, d.memorandum_id, r.title, r.body, r.data, coalesce(r.for_digest, false), $2
           FROM d JOIN r ON r.key = d.idempotency_key WHERE d.channel = 'in_app'
       )
       SELECT id, channel FROM d`,
      [JSON.stringify(rows), now],
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

  notifyWebhooks(
    manager: EntityManager,
    source: DeliverySource,
    topic: string,
    organisationIds: string[],
    body: Record<string, unknown>,
  ): Promise<string[]> {
    return this.notifyWebhooksMany(manager, [{ source, topic, organisationIds, body }]);
  }

  /** `notifyWebhooks` for many messages in one statement. */
  async notifyWebhooksMany(manager: EntityManager, notices: WebhookNotice[]): Promise<string[]> {
    const rows = notices
      .map(({ source, topic, organisationIds, body }, ord) => ({
        ord,
        source_key: `${source.sourceType}:${source.sourceId}`,
        source_type: source.sourceType,
        source_id: source.sourceId,
        topic,
        memorandum_id: source.memorandumId,
        orgs: [...new Set(organisationIds.filter(Boolean))],
        content: { event: topic, ...body },
      }))
      .filter((r) => r.orgs.length);
    if (!rows.length) return [];
    const now = this.clock.now();
    // One statement: a delivery per subscribed, active webhook of each message's organisations (ON CONFLICT DO NOTHING
    // on the idempotency key `<source>:webhook:<webhook id>:webhook`).
    const inserted = (await manager.query(
      `INSERT INTO notification_deliveries (idempotency_key, source_type, source_id, topic, channel, webhook_id, memorandum_id,
                                            status, not_before, content, created_at)
       SELECT r.source_key || ':webhook:' || w.id || ':webhook', r.source_type, r.source_id, r.topic, 'webhook', w.id,
              r.memorandum_id, 'pending', $2, r.content, $2
         FROM jsonb_to_recordset($1::jsonb) AS r(ord int, source_key text, source_type text, source_id text, topic varchar,
                                                 memorandum_id uuid, orgs jsonb, content jsonb)
         JOIN webhooks w ON r.orgs ? w.organisation_id::text AND w.active AND w.deleted_at IS NULL
                        AND (r.topic = ANY(w.events) OR '*' = ANY(w.events))
        ORDER BY r.ord, w.id
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [JSON.stringify(rows), now],
    )) as { id: string }[];
    return inserted.map((d) => d.id);
  }

  /**
   * Puts new deliveries that are due on the queue (one round trip each way); later ones wait for the reconciler.
   * E-mails get a job each; webhooks one job per `WEBHOOK_BATCH`, which sends them concurrently (the reconciler
   * still finds any that job did not send, and gives it a job of its own).
   */
  async enqueue(ids: string[]): Promise<void> {
    if (!ids.length) return;
    // Plain SQL: the ids of a batch of fired reminders are hundreds, and only the due ones are wanted.
    const due = (await this.db.query(
      `SELECT id, channel FROM notification_deliveries WHERE id = ANY($1::uuid[]) AND status = $2 AND not_before <= $3`,
      [ids, DeliveryStatus.Pending, this.clock.now()],
    )) as Pick<NotificationDelivery, 'id' | 'channel'>[];
    const hooks = due.filter((d) => d.channel === DeliveryChannel.Webhook);
    const jobs = due.filter((d) => d.channel !== DeliveryChannel.Webhook).map((d) => ({ ...this.job(d), delay: 0 }));
    for (let i = 0; i < hooks.length; i += WEBHOOK_BATCH) {
      const [first, ...more] = hooks.slice(i, i + WEBHOOK_BATCH);
      const job = this.job(first);
      jobs.push({ ...job, data: more.length ? { ...job.data, more: more.map((d) => d.id) } : job.data, delay: 0 });
    }
    await addNewJobs(this.queue, jobs);
  }

  private job(d: Pick<NotificationDelivery, 'id' | 'channel'>): {
    name: JobName;
    jobId: string;
    data: { deliveryId: string; more?: string[] };
    opts: JobsOptions;
  } {
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

  /** The delay before the retry that follows `attempt` failed attempts (BullMQ's exponential backoff). */
  retryDelay(attempt: number): number {
    return this.settings.deliveryBackoffMs * 2 ** Math.max(0, attempt - 1);
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
