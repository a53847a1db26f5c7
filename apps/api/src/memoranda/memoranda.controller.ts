import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { Access, Actor, CurrentActor, Role } from '@kelisim/identity';
import {
  AddPartyDto,
  CreateMemorandumDto,
  ListMemorandaQuery,
  MemorandaService,
  MemorandumTransitionsService,
  partyView,
  RequestMeta,
  UpdateMemorandumDto,
} from '@kelisim/memoranda';
import { ApiError } from '@kelisim/platform';
import { uuidParam } from '../uuid-param';
import { Meta } from './request-meta';

const MAX_INT = 2 ** 31 - 1;
/** A revision number is a positive integer column: anything past it would reach PostgreSQL as an overflow. */
const revisionNumber = (name: string) => ({
  transform(value: string): number {
    const n = /^\d{1,10}$/.test(String(value)) ? Number(value) : NaN;
    if (!(n >= 1 && n <= MAX_INT)) {
      throw ApiError.validation([{ field: name, message: `must be a revision number from 1 to ${MAX_INT}` }]);
    }
    return n;
  },
});

/** Drafting and reading memoranda: the memorandum, its parties, its frozen revisions and their diffs. */
@ApiTags('memoranda')
@Controller('memoranda')
export class MemorandaController {
  constructor(
    private readonly memoranda: MemorandaService,
    private readonly transitions: MemorandumTransitionsService,
  ) {}

  @Post()
  @Access.roles(Role.Coordinator)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateMemorandumDto, @Meta() meta: RequestMeta) {
    const m = await this.transitions.create(actor, dto, meta);
    return this.memoranda.get(actor, m.id);
  }

  @Get()
  @Access.authenticated()
  list(@CurrentActor() actor: Actor, @Query() q: ListMemorandaQuery) {
    return this.memoranda.list(actor, q);
  }

  @Get(':id')
  @Access.authenticated()
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.memoranda.get(actor, id);
  }

  @Patch(':id')
  @Access.roles(Role.Coordinator)
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The version being edited (or send `version` in the body)',
  })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: UpdateMemorandumDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Meta() meta: RequestMeta,
  ) {
    await this.transitions.update(actor, id, dto, ifMatch, meta);
    return this.memoranda.get(actor, id);
  }

  @Post(':id/parties')
  @Access.roles(Role.Coordinator)
  async addParty(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: AddPartyDto,
    @Meta() meta: RequestMeta,
  ) {
    return partyView(await this.transitions.addParty(actor, id, dto, meta));
  }

  @Delete(':id/parties/:organisationId')
  @HttpCode(204)
  @Access.roles(Role.Coordinator)
  async removeParty(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('organisationId', uuidParam('organisationId')) organisationId: string,
    @Meta() meta: RequestMeta,
  ) {
    await this.transitions.removeParty(actor, id, organisationId, meta);
  }

  @Get(':id/revisions')
  @Access.authenticated()
  revisions(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.memoranda.revisions(actor, id);
  }

  @Get(':id/revisions/:number')
  @Access.authenticated()
  revision(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('number', revisionNumber('number')) n: number,
  ) {
    return this.memoranda.revision(actor, id, n);
  }

  @Get(':id/revisions/:a/diff/:b')
  @Access.authenticated()
  diff(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('a', revisionNumber('a')) a: number,
    @Param('b', revisionNumber('b')) b: number,
  ) {
    return this.memoranda.diff(actor, id, a, b);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Access.roles(Role.Coordinator)
  async submit(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Meta() meta: RequestMeta) {
    await this.transitions.submit(actor, id, meta);
    return this.memoranda.get(actor, id);
  }

  @Get(':id/history')
  @Access.authenticated()
  history(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.memoranda.historyOf(actor, id);
  }

  @Get(':id/history/verify')
  @Access.authenticated()
  verify(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.memoranda.verifyHistory(actor, id);
  }
}
