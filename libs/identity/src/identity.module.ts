import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessGuard } from './access/access.guard';
import { AccessPolicyVerifier } from './access/access-policy.verifier';
import { AuthToken } from './auth/auth-token.entity';
import { AuthService } from './auth/auth.service';
import { LoginThrottling } from './auth/login-throttling';
import { RequestLimits } from './auth/request-limits';
import { Organisation } from './organisations/organisation.entity';
import { OrganisationsService } from './organisations/organisations.service';
import { User } from './users/user.entity';
import { UsersService } from './users/users.service';
import { SupervisionScope } from './supervision/supervision-scope.entity';
import { SupervisionScopesService } from './supervision/supervision-scopes.service';

export const IDENTITY_ENTITIES = [Organisation, User, AuthToken, SupervisionScope];

/** Organisations, users, authentication and the deny-by-default access guard. */
@Module({
  imports: [TypeOrmModule.forFeature(IDENTITY_ENTITIES), DiscoveryModule],
  providers: [
    OrganisationsService,
    UsersService,
    AuthService,
    LoginThrottling,
    RequestLimits,
    SupervisionScopesService,
    AccessPolicyVerifier,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [OrganisationsService, UsersService, AuthService, SupervisionScopesService, RequestLimits],
})
export class IdentityModule {}
