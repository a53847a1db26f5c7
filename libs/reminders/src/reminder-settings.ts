import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

/** Timer tunables; tests shorten the periods so that moving the ManualClock is enough. */
@Injectable()
export class ReminderSettings {
  constructor(private readonly config: ConfigService) {}

  private int(key: string, fallback: number): number {
    const v = this.config.get(key) ?? process.env[key];
    return v !== undefined && v !== null && /^\d+$/.test(String(v)) ? Number(v) : fallback;
  }

  /** How often the outbox dispatcher job runs. */
  get dispatchEveryMs(): number {
    return this.int('OUTBOX_DISPATCH_EVERY_MS', 2000);
  }
  /** How often the reconciliation job runs. */
  get reconcileEveryMs(): number {
    return this.int('SCHEDULE_RECONCILE_EVERY_MS', 30_000);
  }
  /** Items due within this window get a BullMQ delayed job; later ones wait in PostgreSQL only. */
  get horizonMs(): number {
    return this.int('SCHEDULE_HORIZON_MS', 10 * 60_000);
  }
  get fireAttempts(): number {
    return this.int('SCHEDULE_FIRE_ATTEMPTS', 8);
  }
  get fireBackoffMs(): number {
    return this.int('SCHEDULE_FIRE_BACKOFF_MS', 5000);
  }
  get defaultTimeZone(): string {
    return String(this.config.get('DEFAULT_TIME_ZONE') ?? 'Asia/Almaty');
  }
}
