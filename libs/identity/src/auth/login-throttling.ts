/**
 * Login attempts are limited per client address (LOGIN_RATE_LIMIT per LOGIN_RATE_WINDOW_SECONDS),
 * the same for known and unknown e-mails, so the limit neither reveals which accounts exist nor
 * lets anyone lock a known account out. Counted in Redis when REDIS_URL is set (shared by every
 * API process), else in the process. The address is the client's behind a proxy only with TRUST_PROXY.
 */
import { createHash } from 'node:crypto';
import { ExecutionContext, HttpStatus, Injectable, Logger, Module, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModule,
  ThrottlerStorage,
  ThrottlerStorageService,
} from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ApiError, Environment } from '@kelisim/platform';

/**
 * Redis first; should Redis fail, this process's own count, so that a Redis outage neither stops
 * logins (a 500) nor lifts the limit.
 */
export class LoginAttemptStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger('LoginThrottling');
  private readonly memory = new ThrottlerStorageService();
  private readonly redis?: ThrottlerStorageRedisService;

  constructor(redisUrl: string | undefined, keyPrefix: string) {
    if (redisUrl) {
      this.redis = new ThrottlerStorageRedisService(redisUrl, { keyPrefix, maxRetriesPerRequest: 1 });
    }
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    name: string,
  ): ReturnType<ThrottlerStorage['increment']> {
    if (this.redis) {
      try {
        return await this.redis.increment(key, ttl, limit, blockDuration, name);
      } catch (e) {
        this.logger.warn(`Redis unavailable for login throttling, counting in this process: ${(e as Error).message}`);
      }
    }
    return this.memory.increment(key, ttl, limit, blockDuration, name);
  }

  onModuleDestroy(): void {
    this.redis?.onModuleDestroy();
    this.memory.onApplicationShutdown();
  }
}

/** The throttler guard with Kelisim's error body (429 login_throttled, Retry-After in seconds). */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  /**
   * One count per client address for every way of signing in (POST /auth/login and the browser's
   * POST /auth/session): the throttler's own key names the handler, which would give each its own count.
   */
  protected override generateKey(_context: ExecutionContext, suffix: string, name: string): string {
    return createHash('sha256').update(`login-${name}-${suffix}`).digest('hex');
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const seconds = Math.max(1, detail.timeToBlockExpire);
    throw new ApiError(
      HttpStatus.TOO_MANY_REQUESTS,
      'login_throttled',
      `Too many login attempts from this address; try again in ${seconds} s`,
      { retryAfterSeconds: seconds },
    );
  }
}

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => {
        const windowMs = config.get('LOGIN_RATE_WINDOW_SECONDS', { infer: true }) * 1000;
        return {
          throttlers: [
            {
              name: 'default',
              ttl: windowMs,
              limit: config.get('LOGIN_RATE_LIMIT', { infer: true }),
              blockDuration: windowMs,
            },
          ],
          storage: new LoginAttemptStorage(
            config.get('REDIS_URL', { infer: true }),
            `${config.get('QUEUE_PREFIX', { infer: true })}:throttle:`,
          ),
        };
      },
    }),
  ],
  providers: [LoginThrottlerGuard],
  exports: [LoginThrottlerGuard, ThrottlerModule],
})
export class LoginThrottlingModule {}
