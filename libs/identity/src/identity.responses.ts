/** Response schemas of the identity endpoints (OpenAPI). */
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ApiBool, ApiDateTime, ApiText, ApiUuid } from '@kelisim/platform';
import { LANGUAGES, ORGANISATION_KINDS, ROLES } from './vocabulary';

@ApiSchema({ name: 'Organisation' })
export class OrganisationResponse {
  @ApiUuid() id: string;
  @ApiText() name: string;
  @ApiText() shortName: string;
  @ApiProperty({ enum: ORGANISATION_KINDS }) kind: string;
  @ApiText({ nullable: true, pattern: '^[0-9]{12}$', description: 'Business identification number (БИН)' }) bin:
    string | null;
  @ApiText({ nullable: true }) email: string | null;
  @ApiProperty({ enum: LANGUAGES }) language: string;
  @ApiBool() active: boolean;
  @ApiBool({ description: "An organisation of the installation itself (the operator's), never offered as a party" })
  system: boolean;
  @ApiDateTime() createdAt: Date;
  @ApiDateTime() updatedAt: Date;
}

@ApiSchema({ name: 'User' })
export class UserResponse {
  @ApiUuid() id: string;
  @ApiText() fullName: string;
  @ApiText() email: string;
  @ApiUuid() organisationId: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: string[];
  @ApiProperty({ enum: LANGUAGES }) language: string;
  @ApiText({ nullable: true, description: "IANA time zone; null: the memorandum's" }) timeZone: string | null;
  @ApiText({ nullable: true, pattern: '^[0-9]{12}$', description: 'Individual identification number (ИИН)' }) iin:
    string | null;
  @ApiBool() active: boolean;
  @ApiBool({ description: 'An admin reset the password; the user must change it before anything else' })
  mustChangePassword: boolean;
  @ApiDateTime({ nullable: true }) lastLoginAt: Date | null;
  @ApiDateTime() createdAt: Date;
  @ApiDateTime() updatedAt: Date;
}

@ApiSchema({ name: 'Me' })
export class MeResponse {
  @ApiUuid() id: string;
  @ApiText() fullName: string;
  @ApiText() email: string;
  @ApiUuid() organisationId: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: string[];
  @ApiProperty({ enum: LANGUAGES }) language: string;
  @ApiText({ nullable: true }) timeZone: string | null;
  @ApiBool({
    description:
      'An admin reset the password: until POST /me/password, every other route answers 403 password_change_required',
  })
  mustChangePassword: boolean;
}

@ApiSchema({ name: 'Login' })
export class LoginResponse {
  @ApiText({ description: 'Bearer token (opaque)' }) token: string;
  @ApiDateTime({ nullable: true }) expiresAt: Date | null;
  @ApiProperty({ type: MeResponse }) user: MeResponse;
}

@ApiSchema({ name: 'TokenCreated' })
export class TokenCreatedResponse {
  @ApiUuid() id: string;
  @ApiText() name: string;
  @ApiText({ description: 'Shown only in this answer' }) token: string;
}

@ApiSchema({ name: 'Token' })
export class TokenResponse {
  @ApiUuid() id: string;
  @ApiText({ nullable: true }) name: string | null;
  @ApiText({ description: 'First characters, to recognise the token' }) prefix: string;
  @ApiDateTime() createdAt: Date;
  @ApiDateTime({ nullable: true }) lastUsedAt: Date | null;
  @ApiDateTime({ nullable: true }) revokedAt: Date | null;
}

@ApiSchema({ name: 'TokenList' })
export class TokenListResponse {
  @ApiProperty({ type: [TokenResponse] }) items: TokenResponse[];
}

@ApiSchema({ name: 'Session' })
export class SessionResponse {
  @ApiText({
    description:
      'Send it back in the X-CSRF-Token header of every state-changing request made with the session cookie ' +
      '(also readable from the kelisim_csrf cookie)',
  })
  csrfToken: string;
  @ApiDateTime({ nullable: true }) expiresAt: Date | null;
  @ApiProperty({ type: MeResponse }) user: MeResponse;
}

@ApiSchema({ name: 'PasswordReset' })
export class PasswordResetResponse {
  @ApiText({
    description:
      'The temporary password, shown only in this answer (stored as its hash); the user must change it at their next sign-in',
  })
  temporaryPassword: string;
}

@ApiSchema({ name: 'PasswordChanged' })
export class PasswordChangedResponse {
  @ApiText({
    required: false,
    description:
      "A new bearer token, for a caller that sent one (every earlier token of the user, the caller's too, stopped working)",
  })
  token?: string;
  @ApiText({
    required: false,
    description:
      'For a browser session: the new session cookie is set, and this is its CSRF token (also in the kelisim_csrf cookie)',
  })
  csrfToken?: string;
  @ApiDateTime({ nullable: true }) expiresAt: Date | null;
  @ApiProperty({ type: MeResponse }) user: MeResponse;
}
