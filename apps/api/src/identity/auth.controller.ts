import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
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
  AuthService,
  CSRF_COOKIE,
  csrfTokenFor,
  CurrentActor,
  LoginResponse,
  MeResponse,
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
    res.cookie(SESSION_COOKIE, token.token, { ...this.cookieOptions(), httpOnly: true, expires });
    res.cookie(CSRF_COOKIE, csrfToken, { ...this.cookieOptions(), httpOnly: false, expires });
    return { csrfToken, expiresAt: token.expiresAt, user: toMe(user) };
  }

  @Delete('auth/session')
  @HttpCode(204)
  @Access.authenticated()
  @ApiOperation({ summary: "Sign a browser out: revokes the session's token and clears its cookies" })
  @ApiNoContentResponse({ description: 'Signed out' })
  async signOut(@CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    await this.auth.revoke(actor.userId, actor.tokenId);
    res.clearCookie(SESSION_COOKIE, { ...this.cookieOptions(), httpOnly: true });
    res.clearCookie(CSRF_COOKIE, { ...this.cookieOptions(), httpOnly: false });
  }

  /** Secure outside development and tests (plain http on localhost must still work there). */
  private cookieOptions(): CookieOptions {
    return {
      sameSite: 'lax',
      path: '/',
      secure: this.config.get('NODE_ENV', { infer: true }) === 'production',
    };
  }

  @Get('me')
  @Access.authenticated()
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

export function toMe(u: {
  id: string;
  fullName: string;
  email: string;
  organisationId: string;
  roles: string[];
  language: string;
  timeZone?: string | null;
}) {
  return {
    id: u.id,
    fullName: u.fullName,
    email: u.email,
    organisationId: u.organisationId,
    roles: u.roles,
    language: u.language,
    timeZone: u.timeZone ?? null,
  };
}
