import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '@kelisim/platform';

/** Timer tunables; tests shorten the periods so that moving the ManualClock is enough. */
@Injectable()
export class ReminderSettings {
  constructor(private readonly config: ConfigService<Environment, true>) {}

  /** How often the outbox dispatcher job runs. */
  get dispatchEveryMs(): number {
    return this.config.get('OUTBOX_DISPATCH_EVERY_MS', { infer: true });
  }
  /** How often the reconciliation job runs. */
  get reconcileEveryMs(): number {
    return this.config.get('SCHEDULE_RECONCILE_EVERY_MS', { infer: true });
  }
  /** Items due within this window get a BullMQ delayed job; later ones wait in PostgreSQL only. */
  get horizonMs(): number {
    return this.config.get('SCHEDULE_HORIZON_MS', { infer: true });
  }
  get fireAttempts(): number {
    return this.config.get('SCHEDULE_FIRE_ATTEMPTS', { infer: true });
  }
  get fireBackoffMs(): number {
    return this.config.get('SCHEDULE_FIRE_BACKOFF_MS', { infer: true });
  }
  get defaultTimeZone(): string {
    return this.config.get('DEFAULT_TIME_ZONE', { infer: true });
  }
}
