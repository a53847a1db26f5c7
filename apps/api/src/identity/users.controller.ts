import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  Access,
  Actor,
  CreateUserDto,
  CurrentActor,
  hasRole,
  ListUsersQuery,
  Role,
  UpdateUserDto,
  User,
  UsersService,
} from '@kelisim/identity';
import { ApiError } from '@kelisim/platform';
import { uuidParam } from '../uuid-param';

/**
 * Admins manage every user. Coordinators and supervisors may list users (to name signatories,
 * to see who is escalated to); other users see only people of their own organisation.
 */
@ApiTags('identity')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Access.roles(Role.Admin)
  create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }

  @Get()
  @Access.authenticated()
  list(@CurrentActor() actor: Actor, @Query() q: ListUsersQuery) {
    const seesAll = hasRole(actor, Role.Admin, Role.Coordinator, Role.Supervisor);
    return this.users.list(q, seesAll ? undefined : actor.organisationId);
  }

  @Get(':id')
  @Access.authenticated()
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
  update(@Param('id', uuidParam('id')) id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(id, dto);
  }
}
