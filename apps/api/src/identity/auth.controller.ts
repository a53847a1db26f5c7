import { Body, Controller, Delete, Get, HttpCode, Logger, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CookieOptions, Request, Response } from 'express';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import {
  Access,
  Actor,
  AllowedBeforePasswordChange,
  AuthService,
  ChangePasswordDto,
  credentialOf,
  CSRF_COOKIE,
  csrfTokenFor,
  CurrentActor,
  LoginResponse,
  MeResponse,
  PasswordChangedResponse,
  SESSION_COOKIE,
  SessionResponse,
  TokenCreatedResponse,
  TokenListResponse,
  UpdateMeDto,
  UsersService,
} from '@kelisim/identity';
import {
  AnswerCarriesSecret,
  ApiErrorResponses,
  ApiStandardErrors,
  Environment,
  LOCATION_RESPONSE_HEADERS,
  SetsLocation,
} from '@kelisim/platform';
import { ApiUuidParam, uuidParam } from '../uuid-param';

class LoginDto {
  @ApiProperty()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password: string;
}

class CreateTokenDto {
  @ApiProperty({ example: 'Akimat CRM integration' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

@ApiTags('identity')
@ApiStandardErrors()
@Controller()
export class AuthController {
  private readonly logger = new Logger('AuthController');
  private warnedInsecure = false;

  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  @Post('auth/login')
  @HttpCode(200)
  @Access.public()
  @AnswerCarriesSecret()
  @ApiOperation({
    summary:
      'Log in with e-mail and password; returns a bearer token. Failed attempts are limited per e-mail and per ' +
      'client address (429, Retry-After); successful ones are not counted',
  })
  @ApiOkResponse({ type: LoginResponse })
  async login(@Body() dto: LoginDto, @Req() req: Request) {
    const { token, user } = await this.auth.login(dto.email, dto.password, req.ip);
    return { token: token.token, expiresAt: token.expiresAt, user: toMe(user) };
  }

  @Post('auth/logout')
  @HttpCode(204)
  @Access.authenticated()
  @AllowedBeforePasswordChange()
  @ApiOperation({ summary: 'Revoke the token of this request' })
  @ApiNoContentResponse({ description: 'Logged out' })
  async logout(@CurrentActor() actor: Actor) {
    await this.auth.revoke(actor.userId, actor.tokenId);
  }

  @Post('auth/session')
  @HttpCode(200)
  @Access.public()
  @AnswerCarriesSecret()
  @ApiOperation({
    summary:
      'Sign in a browser: sets the HttpOnly SameSite=Lax session cookie (kelisim_session) and the CSRF cookie; ' +
      'shares the limits on failed attempts of POST /auth/login (429, Retry-After)',
  })
  @ApiOkResponse({ type: SessionResponse })
  async signIn(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { token, user } = await this.auth.login(dto.email, dto.password, req.ip);
    const csrfToken = csrfTokenFor(token.token);
    const expires = token.expiresAt ?? undefined;
    if (!req.secure && !this.warnedInsecure && this.config.get('NODE_ENV', { infer: true }) === 'production') {
      this.warnedInsecure = true;
      this.logger.warn(
        'A browser signed in over plain http, so its session cookie is not Secure; behind an HTTPS proxy, set TRUST_PROXY',
      );
    }
    res.cookie(SESSION_COOKIE, token.token, { ...cookieOptions(req), httpOnly: true, expires });
    res.cookie(CSRF_COOKIE, csrfToken, { ...cookieOptions(req), httpOnly: false, expires });
    return { csrfToken, expiresAt: token.expiresAt, user: toMe(user) };
  }

  @Delete('auth/session')
  @HttpCode(204)
  @Access.authenticated()
  @AllowedBeforePasswordChange()
  @ApiOperation({ summary: "Sign a browser out: revokes the session's token and clears its cookies" })
  @ApiNoContentResponse({ description: 'Signed out' })
  async signOut(@CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    await this.auth.revoke(actor.userId, actor.tokenId);
    res.clearCookie(SESSION_COOKIE, { ...cookieOptions(req), httpOnly: true });
    res.clearCookie(CSRF_COOKIE, { ...cookieOptions(req), httpOnly: false });
  }

  @Get('me')
  @Access.authenticated()
  @AllowedBeforePasswordChange()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: MeResponse })
  async me(@CurrentActor() actor: Actor) {
    return toMe(await this.users.get(actor.userId));
  }

  @Patch('me')
  @Access.authenticated()
  @ApiOperation({ summary: "Change the signed-in user's name, language or time zone" })
  @ApiErrorResponses(422)
  @ApiOkResponse({ type: MeResponse })
  async updateMe(@CurrentActor() actor: Actor, @Body() dto: UpdateMeDto) {
    return toMe(await this.users.update(actor.userId, dto));
  }

  @Post('me/password')
  @HttpCode(200)
  @Access.authenticated()
  @AllowedBeforePasswordChange()
  @AnswerCarriesSecret()
  @ApiOperation({
    summary:
      'Change your own password (the current one required; wrong guesses count like failed sign-ins). Every ' +
      "session and token of yours stops working, this request's too: a browser session gets a new session cookie, " +
      'a bearer caller a new token in the answer. Clears mustChangePassword',
  })
  @ApiOkResponse({ type: PasswordChangedResponse })
  @ApiErrorResponses(422, 429)
  async changePassword(
    @CurrentActor() actor: Actor,
    @Body() dto: ChangePasswordDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const user = await this.users.changeOwnPassword(actor.userId, dto, req.ip);
    const token = await this.auth.issueSession(actor.userId);
    if (credentialOf(req)?.via === 'cookie') {
      const csrfToken = csrfTokenFor(token.token);
      const expires = token.expiresAt ?? undefined;
      res.cookie(SESSION_COOKIE, token.token, { ...cookieOptions(req), httpOnly: true, expires });
      res.cookie(CSRF_COOKIE, csrfToken, { ...cookieOptions(req), httpOnly: false, expires });
      return { csrfToken, expiresAt: token.expiresAt, user: toMe(user) };
    }
    return { token: token.token, expiresAt: token.expiresAt, user: toMe(user) };
  }

  @Post('me/tokens')
  @Access.authenticated()
  @AnswerCarriesSecret()
  @ApiOperation({ summary: 'Create a personal API token; the token is shown only in this answer' })
  @ApiCreatedResponse({ type: TokenCreatedResponse, headers: LOCATION_RESPONSE_HEADERS })
  @SetsLocation(() => '/me/tokens')
  async createToken(@CurrentActor() actor: Actor, @Body() dto: CreateTokenDto) {
    const issued = await this.auth.issue(actor.userId, 'personal', dto.name, null);
    return { id: issued.id, name: dto.name, token: issued.token };
  }

  @Get('me/tokens')
  @Access.authenticated()
  @ApiOperation({ summary: "The signed-in user's personal API tokens (without their secret)" })
  @ApiOkResponse({ type: TokenListResponse })
  async listTokens(@CurrentActor() actor: Actor) {
    const tokens = await this.auth.listPersonal(actor.userId);
    return {
      items: tokens.map(({ id, name, prefix, createdAt, lastUsedAt, revokedAt }) => ({
        id,
        name,
        prefix,
        createdAt,
        lastUsedAt,
        revokedAt,
      })),
    };
  }

  @Delete('me/tokens/:id')
  @HttpCode(204)
  @Access.authenticated()
  @ApiOperation({ summary: 'Revoke a personal API token' })
  @ApiUuidParam()
  @ApiNoContentResponse({ description: 'Revoked' })
  async revokeToken(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    await this.auth.revoke(actor.userId, id);
  }
}

/**
 * Secure exactly when the browser reached the service over HTTPS: `req.secure` is the socket's TLS,
 * or behind a proxy trusted by TRUST_PROXY its X-Forwarded-Proto. A Secure cookie set over plain
 * http is dropped by browsers (no sign-in on an http intranet), and one without it behind an
 * https proxy would be sent in clear to any http:// address of the same host.
 */
function cookieOptions(req: Request): CookieOptions {
  return { sameSite: 'lax', path: '/', secure: req.secure };
}

export function toMe(u: {
  id: string;
  fullName: string;
  email: string;
  organisationId: string;
  roles: string[];
  language: string;
  timeZone?: string | null;
  mustChangePassword?: boolean;
}) {
  return {
    id: u.id,
    fullName: u.fullName,
    email: u.email,
    organisationId: u.organisationId,
    roles: u.roles,
    language: u.language,
    timeZone: u.timeZone ?? null,
    mustChangePassword: u.mustChangePassword ?? false,
  };
}
