import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError } from '@kelisim/platform';
import { AuthService } from '../auth/auth.service';
import { credentialOf, csrfRefusal } from '../auth/browser-session';
import { ACCESS_METADATA, AccessRule, BEFORE_PASSWORD_CHANGE_METADATA } from './access.decorator';
import { Actor } from './actor';

/** Deny by default: a route passes only if it declares a rule and the caller satisfies it. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule) throw ApiError.forbidden('This route declares no access rule and is closed', 'no_access_rule');
    if (rule.kind === 'public') return true;

    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    // A bearer token (integrations) or the browser's session cookie, which needs the CSRF token to change state.
    const credential = credentialOf(req);
    if (!credential) throw ApiError.unauthorized('Missing bearer token: send Authorization: Bearer <token>');
    const actor = await this.auth.authenticate(credential.token);
    if (!actor) throw ApiError.unauthorized('Invalid, expired or revoked token', 'invalid_token');
    if (credential.via === 'cookie') {
      const refusal = csrfRefusal(req, credential.token);
      if (refusal) throw ApiError.forbidden(`${refusal}: sign in again from this site's pages`, 'csrf_failed');
    }
    req.actor = actor;

    if (
      actor.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean | undefined>(BEFORE_PASSWORD_CHANGE_METADATA, [
        context.getHandler(),
        context.getClass(),
      ])
    ) {
      throw ApiError.forbidden(
        'Your password was reset by an admin: change it first (POST /me/password)',
        'password_change_required',
      );
    }

    if (rule.kind === 'roles' && !rule.roles.some((r) => actor.roles.includes(r))) {
      throw ApiError.forbidden(`This action needs one of the roles: ${rule.roles.join(', ')}`, 'missing_role', {
        requiredRoles: rule.roles,
      });
    }
    return true;
  }
}
