/**
 * POST /evidence/verify needs no sign-in, so anyone may make the server verify files: it is
 * limited per client address (EVIDENCE_VERIFY_RATE_LIMIT per EVIDENCE_VERIFY_RATE_WINDOW_SECONDS),
 * and a signed-in caller per user with a higher limit (EVIDENCE_VERIFY_RATE_LIMIT_SIGNED_IN), so
 * that colleagues behind one address do not share a count. Counted by the throttler storage the
 * login limit uses (Redis when REDIS_URL is set, shared by every API process), under its own keys.
 */
import { createHash } from 'node:crypto';
import { ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { InjectThrottlerStorage, ThrottlerGuard, ThrottlerLimitDetail, ThrottlerStorage } from '@nestjs/throttler';
import type { Request } from 'express';
import { AuthService, credentialOf, csrfRefusal } from '@kelisim/identity';
import { ApiError, Environment } from '@kelisim/platform';

type Caller = Request & { verifyingUser?: string | null };

@Injectable()
export class EvidenceVerifyThrottlerGuard extends ThrottlerGuard {
  // Each parameter names its token: ThrottlerGuard's own injection tokens (options, storage) are
  // inherited by position and would otherwise be given here.
  constructor(
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    @Inject(Reflector) reflector: Reflector,
    @Inject(ConfigService) config: ConfigService<Environment, true>,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {
    const window = config.get('EVIDENCE_VERIFY_RATE_WINDOW_SECONDS', { infer: true }) * 1000;
    const anonymous = config.get('EVIDENCE_VERIFY_RATE_LIMIT', { infer: true });
    const signedIn = config.get('EVIDENCE_VERIFY_RATE_LIMIT_SIGNED_IN', { infer: true });
    super(
      {
        throttlers: [
          {
            name: 'evidence-verify',
            ttl: window,
            blockDuration: window,
            limit: (context: ExecutionContext) =>
              context.switchToHttp().getRequest<Caller>().verifyingUser ? signedIn : anonymous,
          },
        ],
        // Retry-After comes from the error body (ErrorFilter), as for every 429 of the API.
        setHeaders: false,
      },
      storage,
      reflector,
    );
  }

  /** The signed-in user, when the request carries valid credentials (a cookie only with its CSRF token). */
  private async userOf(req: Caller): Promise<string | null> {
    const credential = credentialOf(req);
    if (!credential) return null;
    if (credential.via === 'cookie' && csrfRefusal(req, credential.token)) return null;
    return (await this.auth.authenticate(credential.token))?.userId ?? null;
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Caller>();
    req.verifyingUser = await this.userOf(req);
    return super.canActivate(context);
  }

  protected override async getTracker(req: Caller): Promise<string> {
    return req.verifyingUser ? `user:${req.verifyingUser}` : `address:${await super.getTracker(req)}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return createHash('sha256').update(`${name}-${tracker}`).digest('hex');
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const seconds = Math.max(1, detail.timeToBlockExpire);
    const who = context.switchToHttp().getRequest<Caller>().verifyingUser ? 'by this user' : 'from this address';
    throw new ApiError(
      HttpStatus.TOO_MANY_REQUESTS,
      'evidence_verify_throttled',
      `Too many verifications ${who} (at most ${detail.limit}); try again in ${seconds} s`,
      { limit: detail.limit, retryAfterSeconds: seconds },
    );
  }
}
