import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  Access,
  CreateOrganisationDto,
  ListOrganisationsQuery,
  OrganisationsService,
  Role,
  UpdateOrganisationDto,
} from '@kelisim/identity';
import { uuidParam } from '../uuid-param';

/** Organisations are managed by admins; anyone signed in may look them up (to add a party). */
@ApiTags('identity')
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post()
  @Access.roles(Role.Admin)
  create(@Body() dto: CreateOrganisationDto) {
    return this.organisations.create(dto);
  }

  @Get()
  @Access.authenticated()
  list(@Query() q: ListOrganisationsQuery) {
    return this.organisations.list(q);
  }

  @Get(':id')
  @Access.authenticated()
  get(@Param('id', uuidParam('id')) id: string) {
    return this.organisations.get(id);
  }

  @Patch(':id')
  @Access.roles(Role.Admin)
  update(@Param('id', uuidParam('id')) id: string, @Body() dto: UpdateOrganisationDto) {
    return this.organisations.update(id, dto);
  }
}
