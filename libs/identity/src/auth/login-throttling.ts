/**
 * Failed sign-ins are limited; successful ones are not counted at all, so a hall of signatories on
 * one Wi-Fi, or a ministry behind one NAT, all sign in. Three counts, each over a fixed window
 * that starts at its first failure:
 *
 * - per e-mail and client address (LOGIN_ACCOUNT_FAILURE_LIMIT per LOGIN_ACCOUNT_WINDOW_SECONDS):
 *   guessing one account from one place;
 * - per e-mail from every address (LOGIN_ACCOUNT_TOTAL_FAILURE_LIMIT in the same window): guessing
 *   one account from many places — several times the first, so that one address alone can never
 *   lock the owner out elsewhere;
 * - per client address over every e-mail (LOGIN_RATE_LIMIT per LOGIN_RATE_WINDOW_SECONDS): trying
 *   many accounts from one place.
 *
 * Counts are kept by the e-mail as typed (normalised), whether or not an account has it, so the
 * answers never tell which accounts exist. A success does not reset any count: a success of the
 * owner must not hand an attacker fresh guesses. Each window ends on its own, so a lock lasts only
 * as long as someone keeps failing. Counted in Redis when REDIS_URL is set (shared by every API
 * process), else — or while Redis is unreachable — in the process.
 */
import { createHash } from 'node:crypto';
import { HttpStatus, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import IORedis from 'ioredis';
import { ApiError, Environment } from '@kelisim/platform';

/** One count: its key, how many failures it allows, over how long. */
export interface FailureCount {
  key: string;
  limit: number;
  windowMs: number;
}

/** Where failures are counted; every operation is atomic over its keys. */
export interface FailureStore {
  /**
   * The milliseconds until the first count at its limit frees up, or 0 when none is: then one
   * attempt is reserved on each of `reserve` (a failure in advance, so that parallel guesses cannot
   * all pass the check before any of them is counted).
   */
  admit(check: FailureCount[], reserve: FailureCount[]): Promise<number>;
  /** Counts a failure on each. */
  add(counts: FailureCount[]): Promise<void>;
  /** Gives back a reservation (the attempt succeeded). */
  release(keys: string[]): Promise<void>;
  close(): void;
}

const ADMIT = `
for i = 1, #KEYS do
  local n = tonumber(redis.call('GET', KEYS[i]) or '0')
  if n >= tonumber(ARGV[2 * i - 1]) then
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl < 1 then ttl = tonumber(ARGV[2 * i]) end
    return ttl
  end
end
local reserve = tonumber(ARGV[2 * #KEYS + 1])
for i = #KEYS - reserve + 1, #KEYS do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i]) end
end
return 0`;

const ADD = `
for i = 1, #KEYS do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[i]) end
end
return 0`;

// A key that expired meanwhile stays absent: DECR would create it at -1 with no expiry.
const RELEASE = `
for i = 1, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 0`;

export class RedisFailureStore implements FailureStore {
  private readonly redis: IORedis;

  constructor(url: string) {
    // Fail fast: a sign-in waits on this, and the caller falls back to counting in the process.
    this.redis = new IORedis(url, { maxRetriesPerRequest: 1 });
    this.redis.on('error', () => undefined);
  }

  async admit(check: FailureCount[], reserve: FailureCount[]): Promise<number> {
    // The reserved counts come last among the keys, and are checked as well.
    const all = [...check, ...reserve];
    const args = all.flatMap((c) => [c.limit, c.windowMs]);
    return Number(await this.redis.eval(ADMIT, all.length, ...all.map((c) => c.key), ...args, reserve.length));
  }

  async add(counts: FailureCount[]): Promise<void> {
    if (counts.length)
      await this.redis.eval(ADD, counts.length, ...counts.map((c) => c.key), ...counts.map((c) => c.windowMs));
  }

  async release(keys: string[]): Promise<void> {
    if (keys.length) await this.redis.eval(RELEASE, keys.length, ...keys);
  }

  close(): void {
    this.redis.disconnect();
  }
}

/** The same counts in this process (no REDIS_URL, or Redis unreachable). */
export class MemoryFailureStore implements FailureStore {
  private readonly counts = new Map<string, { n: number; until: number }>();
  private operations = 0;

  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string) {
    const c = this.counts.get(key);
    if (c && c.until <= this.now()) {
      this.counts.delete(key);
      return undefined;
    }
    return c;
  }

  private increment(count: FailureCount) {
    const c = this.live(count.key);
    if (c) c.n++;
    else this.counts.set(count.key, { n: 1, until: this.now() + count.windowMs });
  }

  /** Expired counts go in a sweep every so often, so that many addresses do not grow the map for ever. */
  private sweep() {
    if (++this.operations % 1000) return;
    for (const key of [...this.counts.keys()]) this.live(key);
  }

  async admit(check: FailureCount[], reserve: FailureCount[]): Promise<number> {
    this.sweep();
    for (const count of [...check, ...reserve]) {
      const c = this.live(count.key);
      if (c && c.n >= count.limit) return Math.max(1, c.until - this.now());
    }
    reserve.forEach((c) => this.increment(c));
    return 0;
  }

  async add(counts: FailureCount[]): Promise<void> {
    counts.forEach((c) => this.increment(c));
  }

  async release(keys: string[]): Promise<void> {
    for (const key of keys) {
      const c = this.live(key);
      if (c && c.n > 0) c.n--;
    }
  }

  close(): void {
    this.counts.clear();
  }
}

/** Redis first; should it fail, this process's own count, so that an outage neither stops sign-ins (a 500) nor lifts the limits. */
class FallbackFailureStore implements FailureStore {
  private readonly logger = new Logger('LoginThrottling');
  private readonly memory = new MemoryFailureStore();

  constructor(private readonly redis: FailureStore) {}

  private async either<T>(op: (s: FailureStore) => Promise<T>): Promise<T> {
    try {
      return await op(this.redis);
    } catch (e) {
      this.logger.warn(`Redis unavailable for login throttling, counting in this process: ${(e as Error).message}`);
      return op(this.memory);
    }
  }

  admit(check: FailureCount[], reserve: FailureCount[]) {
    return this.either((s) => s.admit(check, reserve));
  }
  add(counts: FailureCount[]) {
    return this.either((s) => s.add(counts));
  }
  release(keys: string[]) {
    return this.either((s) => s.release(keys));
  }
  close() {
    this.redis.close();
    this.memory.close();
  }
}

/** Redis (with the process as fallback) when REDIS_URL is set, else the process. */
export function counterStore(config: ConfigService<Environment, true>): FailureStore {
  const url = config.get('REDIS_URL', { infer: true });
  return url ? new FallbackFailureStore(new RedisFailureStore(url)) : new MemoryFailureStore();
}

/** What an attempt holds between its check and its outcome. */
export interface LoginAttempt {
  /** Counts the attempt as a failure. */
  failed(): Promise<void>;
  /** The attempt was no failed guess (it succeeded, or broke before an answer): it counts nowhere. */
  release(): Promise<void>;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

@Injectable()
export class LoginThrottling implements OnModuleDestroy {
  private readonly store: FailureStore;
  private readonly prefix: string;

  constructor(private readonly config: ConfigService<Environment, true>) {
    this.store = counterStore(config);
    this.prefix = `${config.get('QUEUE_PREFIX', { infer: true })}:login-failures:`;
  }

  /**
   * Refuses with 429 login_throttled (Retry-After) when a count is at its limit — the same answer
   * for every e-mail, known or not — else reserves the attempt until its outcome is known.
   */
  async attempt(email: string, address: string | undefined): Promise<LoginAttempt> {
    const accountWindowMs = this.config.get('LOGIN_ACCOUNT_WINDOW_SECONDS', { infer: true }) * 1000;
    const from = address ?? 'unknown';
    const byAddress: FailureCount = {
      key: `${this.prefix}address:${digest(from)}`,
      limit: this.config.get('LOGIN_RATE_LIMIT', { infer: true }),
      windowMs: this.config.get('LOGIN_RATE_WINDOW_SECONDS', { infer: true }) * 1000,
    };
    const byAccountHere: FailureCount = {
      key: `${this.prefix}account-address:${digest(`${email}\0${from}`)}`,
      limit: this.config.get('LOGIN_ACCOUNT_FAILURE_LIMIT', { infer: true }),
      windowMs: accountWindowMs,
    };
    const byAccount: FailureCount = {
      key: `${this.prefix}account:${digest(email)}`,
      limit: this.config.get('LOGIN_ACCOUNT_TOTAL_FAILURE_LIMIT', { infer: true }),
      windowMs: accountWindowMs,
    };
    const waitMs = await this.store.admit([byAddress], [byAccountHere, byAccount]);
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new ApiError(
        HttpStatus.TOO_MANY_REQUESTS,
        'login_throttled',
        `Too many failed sign-ins; try again in ${seconds} s`,
        { retryAfterSeconds: seconds },
      );
    }
    return {
      failed: () => this.store.add([byAddress]),
      release: () => this.store.release([byAccountHere.key, byAccount.key]),
    };
  }

  onModuleDestroy(): void {
    this.store.close();
  }
}
