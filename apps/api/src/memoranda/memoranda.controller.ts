import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { Access, Actor, CurrentActor, Role } from '@kelisim/identity';
import {
  AddPartyDto,
  CreateMemorandumDto,
  DiffQuery,
  HistoryResponse,
  HistoryVerificationResponse,
  ListMemorandaQuery,
  MemorandaService,
  MemorandumResponse,
  MemorandumSummaryResponse,
  MemorandumTransitionsService,
  PartyResponse,
  partyView,
  RequestMeta,
  RevisionDiffResponse,
  RevisionListResponse,
  RevisionResponse,
  UpdateMemorandumDto,
} from '@kelisim/memoranda';
import {
  ApiError,
  ApiErrorResponses,
  ApiIfMatch,
  ApiStandardErrors,
  ETAG_RESPONSE_HEADERS,
  ExpectedVersion,
  IfMatch,
  LOCATION_RESPONSE_HEADERS,
  PageOf,
  requireVersion,
  SetsEtag,
  SetsLocation,
} from '@kelisim/platform';
import { ApiUuidParam, uuidParam } from '../uuid-param';
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
@ApiStandardErrors()
@Controller('memoranda')
export class MemorandaController {
  constructor(
    private readonly memoranda: MemorandaService,
    private readonly transitions: MemorandumTransitionsService,
  ) {}

  @Post()
  @Access.roles(Role.Coordinator)
  @ApiOperation({ summary: "Draft a memorandum (the caller's organisation coordinates it)" })
  @ApiCreatedResponse({ type: MemorandumResponse, headers: { ...LOCATION_RESPONSE_HEADERS, ...ETAG_RESPONSE_HEADERS } })
  @ApiErrorResponses(422)
  @SetsLocation((m) => `/memoranda/${m.id}`)
  @SetsEtag()
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateMemorandumDto, @Meta() meta: RequestMeta) {
    const m = await this.transitions.create(actor, dto, meta);
    return this.memoranda.get(actor, m.id);
  }

  @Get()
  @Access.authenticated()
  @ApiOperation({ summary: 'List the memoranda the caller may see, newest first' })
  @ApiOkResponse({ type: PageOf(MemorandumSummaryResponse) })
  list(@CurrentActor() actor: Actor, @Query() q: ListMemorandaQuery) {
    return this.memoranda.list(actor, q);
  }

  @Get(':id')
  @Access.authenticated()
  @ApiOperation({ summary: 'Read a memorandum, with its parties and the actions the caller may take' })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiOkResponse({ type: MemorandumResponse, headers: ETAG_RESPONSE_HEADERS })
  @SetsEtag()
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.memoranda.get(actor, id);
  }

  @Patch(':id')
  @Access.roles(Role.Coordinator)
  @ApiOperation({ summary: 'Edit the draft (or the amendment draft); needs If-Match or `version`' })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiIfMatch({ bodyVersion: true })
  @ApiOkResponse({ type: MemorandumResponse, headers: ETAG_RESPONSE_HEADERS })
  @ApiErrorResponses(409, 422)
  @SetsEtag()
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: UpdateMemorandumDto,
    @IfMatch() ifMatch: ExpectedVersion | undefined,
    @Meta() meta: RequestMeta,
  ) {
    await this.transitions.update(actor, id, dto, requireVersion(ifMatch, dto.version), meta);
    return this.memoranda.get(actor, id);
  }

  @Post(':id/parties')
  @Access.roles(Role.Coordinator)
  @ApiOperation({ summary: 'Add a party organisation to the draft' })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiCreatedResponse({ type: PartyResponse, headers: LOCATION_RESPONSE_HEADERS })
  @ApiErrorResponses(409, 422)
  @SetsLocation((_, params) => `/memoranda/${params.id}`)
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
  @ApiOperation({ summary: 'Remove a party from the draft' })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiUuidParam('organisationId')
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrorResponses(409)
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
  @ApiOperation({ summary: 'The frozen revisions, oldest first' })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiOkResponse({ type: RevisionListResponse })
  revisions(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.memoranda.revisions(actor, id);
  }

  @Get(':id/revisions/:number')
  @Access.authenticated()
  @ApiOperation({ summary: 'One frozen revision' })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiParam({ name: 'number', schema: { type: 'integer', minimum: 1 } })
  @ApiOkResponse({ type: RevisionResponse })
  revision(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('number', revisionNumber('number')) n: number,
  ) {
    return this.memoranda.revision(actor, id, n);
  }

  @Get(':id/revisions/:number/canonical')
  @Access.authenticated()
  @ApiOperation({
    summary: 'The exact bytes (UTF-8 JSON) whose SHA-256 is the revision hash: what a digital signature signs',
  })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiParam({ name: 'number', schema: { type: 'integer', minimum: 1 } })
  @ApiProduces('application/json')
  @ApiOkResponse({
    description: 'The canonical bytes; sign them as they are (detached CMS), do not re-serialise',
    content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
    headers: {
      'Repr-Digest': { description: 'sha-256=:<base64 of the revision hash>:', schema: { type: 'string' } },
      'X-Revision-Hash': { description: 'The revision hash (hex)', schema: { type: 'string' } },
    },
  })
  async canonical(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('number', revisionNumber('number')) n: number,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { bytes, hash } = await this.memoranda.canonical(actor, id, n);
    res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(hash, 'hex').toString('base64')}:`);
    res.setHeader('X-Revision-Hash', hash);
    return new StreamableFile(bytes, {
      type: 'application/json',
      disposition: `inline; filename="revision-${n}-${hash.slice(0, 12)}.json"`,
    });
  }

  @Get(':id/revisions/:a/diff/:b')
  @Access.authenticated()
  @ApiOperation({ summary: 'Text diff between two frozen revisions' })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiParam({ name: 'a', schema: { type: 'integer', minimum: 1 } })
  @ApiParam({ name: 'b', schema: { type: 'integer', minimum: 1 } })
  @ApiOkResponse({ type: RevisionDiffResponse })
  @ApiErrorResponses(422)
  diff(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('a', revisionNumber('a')) a: number,
    @Param('b', revisionNumber('b')) b: number,
    @Query() q: DiffQuery,
  ) {
    return this.memoranda.diff(actor, id, a, b, q.language);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Access.roles(Role.Coordinator)
  @ApiOperation({ summary: 'Freeze the current revision and send it for review' })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiOkResponse({ type: MemorandumResponse, headers: ETAG_RESPONSE_HEADERS })
  @ApiErrorResponses(409, 422)
  @SetsEtag()
  async submit(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Meta() meta: RequestMeta) {
    await this.transitions.submit(actor, id, meta);
    return this.memoranda.get(actor, id);
  }

  @Get(':id/history')
  @Access.authenticated()
  @ApiOperation({ summary: 'The hash-chained history of the memorandum' })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiOkResponse({ type: HistoryResponse })
  history(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.memoranda.historyOf(actor, id);
  }

  @Get(':id/history/verify')
  @Access.authenticated()
  @ApiOperation({ summary: 'Check the history chain: no event edited, removed or reordered' })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiOkResponse({ type: HistoryVerificationResponse })
  verify(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.memoranda.verifyHistory(actor, id);
  }
}
