/**
 * POST /evidence/verify needs no sign-in, so anyone may make the server verify files: it is
 * limited per client address (EVIDENCE_VERIFY_RATE_LIMIT per EVIDENCE_VERIFY_RATE_WINDOW_SECONDS),
 * and a signed-in caller per user with a higher limit (EVIDENCE_VERIFY_RATE_LIMIT_SIGNED_IN), so
 * that colleagues behind one address do not share a count. Counted by identity's RequestLimits
 * (Redis when REDIS_URL is set, shared by every API process), under its own keys.
 */
import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import { Actor, AuthService, credentialOf, csrfRefusal, RequestLimits } from '@kelisim/identity';
import { ApiError, Environment } from '@kelisim/platform';

@Injectable()
export class EvidenceVerifyThrottlerGuard implements CanActivate {
  private readonly windowMs: number;
  private readonly anonymous: number;
  private readonly signedIn: number;

  constructor(
    @Inject(ConfigService) config: ConfigService<Environment, true>,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(RequestLimits) private readonly limits: RequestLimits,
  ) {
    this.windowMs = config.get('EVIDENCE_VERIFY_RATE_WINDOW_SECONDS', { infer: true }) * 1000;
    this.anonymous = config.get('EVIDENCE_VERIFY_RATE_LIMIT', { infer: true });
    this.signedIn = config.get('EVIDENCE_VERIFY_RATE_LIMIT_SIGNED_IN', { infer: true });
  }

  /** The signed-in user, when the request carries valid credentials (a cookie only with its CSRF token). */
  private async actorOf(req: Request): Promise<Actor | null> {
    const credential = credentialOf(req);
    if (!credential) return null;
    if (credential.via === 'cookie' && csrfRefusal(req, credential.token)) return null;
    return this.auth.authenticate(credential.token);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const actor = await this.actorOf(req);
    // The route is public: the caller, when signed in, is kept for it (what the server's records reveal).
    if (actor) req.actor = actor;
    const user = actor?.userId ?? null;
    const limit = user ? this.signedIn : this.anonymous;
    // req.ip honours TRUST_PROXY: behind a proxy, the client's address, not the proxy's.
    const who = user ? `user:${user}` : `address:${req.ip ?? 'unknown'}`;
    const waitMs = await this.limits.admit('evidence-verify', who, limit, this.windowMs);
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new ApiError(
        HttpStatus.TOO_MANY_REQUESTS,
        'evidence_verify_throttled',
        `Too many verifications ${user ? 'by this user' : 'from this address'} (at most ${limit}); try again in ${seconds} s`,
        { limit, retryAfterSeconds: seconds },
      );
    }
    return true;
  }
}
