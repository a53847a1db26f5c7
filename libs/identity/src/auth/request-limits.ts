/**
 * Fixed-window limits on requests that anyone may send (such as verifying an evidence PDF without
 * signing in), counted where the login limits are: in Redis when REDIS_URL is set (shared by every
 * API process; should Redis fail, in the process), else in the process. Every request counts.
 */
import { createHash } from 'node:crypto';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '@kelisim/platform';
import { counterStore, FailureStore } from './login-throttling';

@Injectable()
export class RequestLimits implements OnModuleDestroy {
  private readonly store: FailureStore;
  private readonly prefix: string;

  constructor(config: ConfigService<Environment, true>) {
    this.store = counterStore(config);
    this.prefix = `${config.get('QUEUE_PREFIX', { infer: true })}:request-limits:`;
  }

  /**
   * Counts one request of `who` (hashed: addresses and user ids are not kept in clear) under
   * `scope`: 0 when it is within `limit` per `windowMs`, else the milliseconds until it will be.
   */
  async admit(scope: string, who: string, limit: number, windowMs: number): Promise<number> {
    const key = `${this.prefix}${scope}:${createHash('sha256').update(who, 'utf8').digest('hex')}`;
    return this.store.admit([], [{ key, limit, windowMs }]);
  }

  onModuleDestroy(): void {
    this.store.close();
  }
}
