import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Access,
  CreateOrganisationDto,
  ListOrganisationsQuery,
  OrganisationResponse,
  OrganisationsService,
  Role,
  UpdateOrganisationDto,
} from '@kelisim/identity';
import {
  ApiErrorResponses,
  ApiStandardErrors,
  LOCATION_RESPONSE_HEADERS,
  PageOf,
  SetsLocation,
} from '@kelisim/platform';
import { ApiUuidParam, uuidParam } from '../uuid-param';

/** Organisations are managed by admins; anyone signed in may look them up (to add a party). */
@ApiTags('identity')
@ApiStandardErrors()
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post()
  @Access.roles(Role.Admin)
  @ApiOperation({ summary: 'Create an organisation (admin)' })
  @ApiCreatedResponse({ type: OrganisationResponse, headers: LOCATION_RESPONSE_HEADERS })
  @ApiErrorResponses(409)
  @SetsLocation((o) => `/organisations/${o.id}`)
  create(@Body() dto: CreateOrganisationDto) {
    return this.organisations.create(dto);
  }

  @Get()
  @Access.authenticated()
  @ApiOperation({ summary: 'List organisations' })
  @ApiOkResponse({ type: PageOf(OrganisationResponse) })
  list(@Query() q: ListOrganisationsQuery) {
    return this.organisations.list(q);
  }

  @Get(':id')
  @Access.authenticated()
  @ApiOperation({ summary: 'Read an organisation' })
  @ApiUuidParam()
  @ApiOkResponse({ type: OrganisationResponse })
  get(@Param('id', uuidParam('id')) id: string) {
    return this.organisations.get(id);
  }

  @Patch(':id')
  @Access.roles(Role.Admin)
  @ApiOperation({ summary: 'Change an organisation (admin)' })
  @ApiUuidParam()
  @ApiOkResponse({ type: OrganisationResponse })
  @ApiErrorResponses(409)
  update(@Param('id', uuidParam('id')) id: string, @Body() dto: UpdateOrganisationDto) {
    return this.organisations.update(id, dto);
  }
}
