import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '@kelisim/platform';

/** Delivery settings: the platform's Environment plus a few tunables (tests shorten the backoff). */
@Injectable()
export class NotificationSettings {
  constructor(private readonly config: ConfigService<Environment, true>) {}

  private get<K extends keyof Environment>(key: K): Environment[K] {
    return this.config.get(key, { infer: true });
  }

  get smtpUrl(): string | undefined {
    return this.get('SMTP_URL');
  }
  get mailFrom(): string {
    return this.get('MAIL_FROM');
  }
  /** Where the web interface is reached, without a trailing slash: links in messages start with it. */
  get publicUrl(): string {
    return this.get('PUBLIC_URL').replace(/\/+$/, '');
  }
  get allowPrivateWebhooks(): boolean {
    return this.get('WEBHOOK_ALLOW_PRIVATE');
  }
  get defaultTimeZone(): string {
    return this.get('DEFAULT_TIME_ZONE');
  }
  get quietHoursStart(): number {
    return this.get('QUIET_HOURS_START');
  }
  get quietHoursEnd(): number {
    return this.get('QUIET_HOURS_END');
  }
  get emailAttempts(): number {
    return this.get('EMAIL_ATTEMPTS');
  }
  get webhookAttempts(): number {
    return this.get('WEBHOOK_ATTEMPTS');
  }
  /** First retry delay; doubles each attempt. */
  get deliveryBackoffMs(): number {
    return this.get('DELIVERY_BACKOFF_MS');
  }
  get webhookTimeoutMs(): number {
    return this.get('WEBHOOK_TIMEOUT_MS');
  }
}
