import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Access,
  Actor,
  CreateSupervisionScopeDto,
  CurrentActor,
  ListSupervisionScopesQuery,
  Role,
  SupervisionScopeResponse,
  SupervisionScopesService,
} from '@kelisim/identity';
import { Memorandum } from '@kelisim/memoranda';
import {
  ApiErrorResponses,
  ApiStandardErrors,
  LOCATION_RESPONSE_HEADERS,
  PageOf,
  SetsLocation,
} from '@kelisim/platform';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiUuidParam, uuidParam } from '../uuid-param';

/** Admins give supervisors their scopes: every memorandum, organisations or single memoranda. */
@ApiTags('identity')
@ApiStandardErrors()
@Controller('supervision-scopes')
export class SupervisionScopesController {
  constructor(
    private readonly scopes: SupervisionScopesService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  @Post()
  @Access.roles(Role.Admin)
  @ApiOperation({
    summary: 'Give a supervisor a scope: every memorandum, an organisation or one memorandum (admin)',
    description:
      'A supervisor sees the memoranda of their scopes only; without any scope, none (beyond their own ' +
      'organisation’s). `kind: global` is national supervision.',
  })
  @ApiCreatedResponse({ type: SupervisionScopeResponse, headers: LOCATION_RESPONSE_HEADERS })
  @ApiErrorResponses(409, 422)
  @SetsLocation((s) => `/supervision-scopes?supervisorUserId=${s.supervisorUserId}`)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateSupervisionScopeDto) {
    return this.scopes.create(actor, dto, (id) => this.db.getRepository(Memorandum).existsBy({ id }));
  }

  @Get()
  @Access.roles(Role.Admin)
  @ApiOperation({ summary: 'List supervision scopes (admin)' })
  @ApiOkResponse({ type: PageOf(SupervisionScopeResponse) })
  list(@Query() q: ListSupervisionScopesQuery) {
    return this.scopes.list(q);
  }

  @Delete(':id')
  @HttpCode(204)
  @Access.roles(Role.Admin)
  @ApiOperation({ summary: 'Remove a supervision scope (admin)' })
  @ApiUuidParam('id')
  @ApiNoContentResponse({ description: 'Removed' })
  async remove(@Param('id', uuidParam('id')) id: string) {
    await this.scopes.remove(id);
  }
}
