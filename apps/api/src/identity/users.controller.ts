import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Access,
  Actor,
  CreateUserDto,
  CurrentActor,
  hasRole,
  ListUsersQuery,
  PasswordResetResponse,
  Role,
  UpdateUserDto,
  User,
  UserResponse,
  UsersService,
} from '@kelisim/identity';
import {
  AnswerCarriesSecret,
  ApiError,
  ApiErrorResponses,
  ApiStandardErrors,
  LOCATION_RESPONSE_HEADERS,
  PageOf,
  SetsLocation,
} from '@kelisim/platform';
import { ApiUuidParam, uuidParam } from '../uuid-param';

/**
 * Admins manage every user. Coordinators and supervisors may list users (to name signatories,
 * to see who is escalated to); other users see only people of their own organisation.
 */
@ApiTags('identity')
@ApiStandardErrors()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Access.roles(Role.Admin)
  @ApiOperation({ summary: 'Create a user (admin)' })
  @ApiCreatedResponse({ type: UserResponse, headers: LOCATION_RESPONSE_HEADERS })
  @ApiErrorResponses(409, 422)
  @SetsLocation((u) => `/users/${u.id}`)
  create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }

  @Get()
  @Access.authenticated()
  @ApiOperation({ summary: "List users (other organisations' only for admins, coordinators and supervisors)" })
  @ApiOkResponse({ type: PageOf(UserResponse) })
  list(@CurrentActor() actor: Actor, @Query() q: ListUsersQuery) {
    const seesAll = hasRole(actor, Role.Admin, Role.Coordinator, Role.Supervisor);
    return this.users.list(q, seesAll ? undefined : actor.organisationId);
  }

  @Get(':id')
  @Access.authenticated()
  @ApiOperation({ summary: 'Read a user' })
  @ApiUuidParam()
  @ApiOkResponse({ type: UserResponse })
  async get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string): Promise<User> {
    const user = await this.users.get(id);
    if (
      user.organisationId !== actor.organisationId &&
      !hasRole(actor, Role.Admin, Role.Coordinator, Role.Supervisor)
    ) {
      throw ApiError.notFound('User', id);
    }
    return user;
  }

  @Patch(':id')
  @Access.roles(Role.Admin)
  @ApiOperation({ summary: 'Change a user (admin); active: false revokes their tokens' })
  @ApiUuidParam()
  @ApiOkResponse({ type: UserResponse })
  @ApiErrorResponses(409, 422)
  update(@Param('id', uuidParam('id')) id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(id, dto);
  }

  @Post(':id/password-reset')
  @HttpCode(200)
  @Access.roles(Role.Admin)
  @AnswerCarriesSecret()
  @ApiOperation({
    summary:
      "Reset another user's password (admin): a temporary password, shown only in this answer, that the user must " +
      'change at their next sign-in; every session and token of the user stops working',
  })
  @ApiUuidParam()
  @ApiOkResponse({ type: PasswordResetResponse })
  @ApiErrorResponses(409)
  resetPassword(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.users.resetPassword(id, actor.userId);
  }
}
