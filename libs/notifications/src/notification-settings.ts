import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

/** Delivery settings: the platform's Environment plus a few tunables (tests shorten the backoff). */
@Injectable()
export class NotificationSettings {
  constructor(private readonly config: ConfigService) {}

  private raw(key: string): string | undefined {
    const v = this.config.get(key) ?? process.env[key];
    return v === undefined || v === null || v === '' ? undefined : String(v);
  }

  private int(key: string, fallback: number): number {
    const v = this.raw(key);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : fallback;
  }

  get smtpUrl(): string | undefined {
    return this.raw('SMTP_URL');
  }
  get mailFrom(): string {
    return this.raw('MAIL_FROM') ?? 'Kelisim <no-reply@kelisim.local>';
  }
  get allowPrivateWebhooks(): boolean {
    return ['true', '1', 'yes', 'on'].includes((this.raw('WEBHOOK_ALLOW_PRIVATE') ?? '').toLowerCase());
  }
  get defaultTimeZone(): string {
    return this.raw('DEFAULT_TIME_ZONE') ?? 'Asia/Almaty';
  }
  get quietHoursStart(): number {
    return this.int('QUIET_HOURS_START', 21);
  }
  get quietHoursEnd(): number {
    return this.int('QUIET_HOURS_END', 9);
  }
  get emailAttempts(): number {
    return this.int('EMAIL_ATTEMPTS', 6);
  }
  get webhookAttempts(): number {
    return this.int('WEBHOOK_ATTEMPTS', 8);
  }
  /** First retry delay; doubles each attempt. */
  get deliveryBackoffMs(): number {
    return this.int('DELIVERY_BACKOFF_MS', 5000);
  }
  get webhookTimeoutMs(): number {
    return this.int('WEBHOOK_TIMEOUT_MS', 10000);
  }
}
