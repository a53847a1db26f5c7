import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { Role } from '../vocabulary';
import { Actor } from './actor';

export const ACCESS_METADATA = 'kelisim:access';
export const BEFORE_PASSWORD_CHANGE_METADATA = 'kelisim:before-password-change';

export type AccessRule = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'roles'; roles: Role[] };

/**
 * Every route states who may call it; a route without a rule is refused at start-up
 * (AccessPolicyVerifier) and at request time (AccessGuard). Organisation checks — acting only
 * for one's own organisation — are made by the domain services, which know whose record it is.
 */
export const Access = {
  /** No authentication (login, health). */
  public: () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessRule),
  /** Any active, authenticated user; the service checks the rest. */
  authenticated: () =>
    applyDecorators(SetMetadata(ACCESS_METADATA, { kind: 'authenticated' } satisfies AccessRule), ApiBearerAuth()),
  /** An authenticated user holding at least one of the roles. */
  roles: (...roles: Role[]) =>
    applyDecorators(SetMetadata(ACCESS_METADATA, { kind: 'roles', roles } satisfies AccessRule), ApiBearerAuth()),
};

/**
 * A route a user whose password an admin reset (`mustChangePassword`) may still call: reading
 * who they are, changing the password, signing out. Every other route answers 403
 * `password_change_required` until the password is changed.
 */
export const AllowedBeforePasswordChange = () => SetMetadata(BEFORE_PASSWORD_CHANGE_METADATA, true);

/** The authenticated caller; only on routes that are not public. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});
