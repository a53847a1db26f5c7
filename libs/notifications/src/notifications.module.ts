import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationDelivery } from './delivery.entity';
import { DeliveriesService } from './deliveries.service';
import { DeliverySender } from './delivery-sender.service';
import { InboxService } from './inbox.service';
import { InboxNotification } from './notification.entity';
import { NotificationDigest } from './notification-digest.entity';
import { DigestService } from './digest.service';
import { NotificationSettings } from './notification-settings';
import { NotificationPreference } from './notification-preference.entity';
import { NotificationPreferencesService } from './notification-preferences.service';
import { Webhook, WebhookAttempt } from './webhook.entity';
import { WebhooksService } from './webhooks.service';

export const NOTIFICATION_ENTITIES = [
  NotificationDelivery,
  InboxNotification,
  Webhook,
  WebhookAttempt,
  NotificationPreference,
  NotificationDigest,
];

/** Deliveries (in-app, e-mail, webhooks) with one idempotency record per source, recipient and channel. */
@Module({
  imports: [TypeOrmModule.forFeature(NOTIFICATION_ENTITIES)],
  providers: [
    NotificationSettings,
    DeliveriesService,
    DeliverySender,
    DigestService,
    InboxService,
    WebhooksService,
    NotificationPreferencesService,
  ],
  exports: [
    NotificationSettings,
    DeliveriesService,
    DeliverySender,
    DigestService,
    InboxService,
    WebhooksService,
    NotificationPreferencesService,
  ],
})
export class NotificationsModule {}
