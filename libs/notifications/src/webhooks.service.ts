import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { ApiError, Clock, SecretBox } from '@kelisim/platform';
import { NotificationDelivery } from './delivery.entity';
import { NotificationSettings } from './notification-settings';
import { newWebhookSecret } from './webhook-signing';
import { refuseTarget } from './webhook-target';
import { Webhook, WebhookAttempt } from './webhook.entity';

export interface CreateWebhookInput {
  url: string;
  events: string[];
  secret?: string;
}

/** Webhooks of an organisation: registered, listed and deleted by its own users only. */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly settings: NotificationSettings,
    private readonly secrets: SecretBox,
  ) {}

  async create(organisationId: string, userId: string, input: CreateWebhookInput) {
    const errors: { field: string; message: string }[] = [];
    if (typeof input.url !== 'string' || input.url.length > 2000)
      errors.push({ field: 'url', message: 'must be a URL of at most 2000 characters' });
    if (
      !Array.isArray(input.events) ||
      !input.events.length ||
      input.events.length > 50 ||
      !input.events.every((e) => typeof e === 'string' && /^(\*|[a-z_]+(\.[a-z_]+)*)$/.test(e) && e.length <= 64)
    ) {
      errors.push({
        field: 'events',
        message: 'must list 1 to 50 event names (e.g. memorandum.submitted, approval_reminder) or "*"',
      });
    }
    if (
      input.secret !== undefined &&
      (typeof input.secret !== 'string' || input.secret.length < 16 || input.secret.length > 200)
    ) {
      errors.push({ field: 'secret', message: 'must be 16 to 200 characters' });
    }
    if (errors.length) throw ApiError.validation(errors);
    const refused = await refuseTarget(input.url, this.settings.allowPrivateWebhooks);
    if (refused) throw ApiError.validation([{ field: 'url', message: refused }]);
    const secret = input.secret ?? newWebhookSecret();
    const { identifiers } = await this.db.getRepository(Webhook).insert({
      organisationId,
      url: input.url,
      events: [...new Set(input.events)],
      secret: this.secrets.seal(secret),
      createdBy: userId,
      createdAt: this.clock.now(),
    });
    const hook = await this.get(organisationId, identifiers[0].id as string);
    // The secret is shown once, now; never again.
    return { ...hook, secret };
  }

  list(organisationId: string) {
    return this.db
      .getRepository(Webhook)
      .find({ where: { organisationId, deletedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  async get(organisationId: string, id: string) {
    const hook = await this.db.getRepository(Webhook).findOneBy({ id, organisationId, deletedAt: IsNull() });
    if (!hook) throw ApiError.notFound('Webhook', id);
    return hook;
  }

  async remove(organisationId: string, id: string) {
    await this.get(organisationId, id);
    await this.db.getRepository(Webhook).update({ id, organisationId }, { active: false, deletedAt: this.clock.now() });
  }

  async deliveries(organisationId: string, id: string, q: { page: number; pageSize: number }) {
    await this.get(organisationId, id);
    const [items, total] = await this.db.getRepository(NotificationDelivery).findAndCount({
      where: { webhookId: id },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    });
    const attempts = items.length
      ? await this.db
          .getRepository(WebhookAttempt)
          .createQueryBuilder('a')
          .where('a.delivery_id IN (:...ids)', { ids: items.map((d) => d.id) })
          .orderBy('a.attempt')
          .getMany()
      : [];
    return {
      items: items.map((d) => ({
        id: d.id,
        event: d.topic,
        memorandumId: d.memorandumId,
        status: d.status,
        attempts: d.attempts,
        lastError: d.lastError,
        createdAt: d.createdAt,
        sentAt: d.sentAt,
        attemptLog: attempts
          .filter((a) => a.deliveryId === d.id)
          .map((a) => ({
            attempt: a.attempt,
            at: a.at,
            ok: a.ok,
            statusCode: a.statusCode,
            error: a.error,
            durationMs: a.durationMs,
          })),
      })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }
}
