import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AmendmentCommitmentsResponse,
  AmendmentCommitmentsService,
  CommitmentActionDto,
  CommitmentReadsService,
  CommitmentResponse,
  CommitmentsService,
  CreateCommitmentDto,
  ListCommitmentsQuery,
  OccurrenceListResponse,
  UpdateCommitmentDto,
} from '@kelisim/commitments';
import { Access, Actor, CurrentActor, Role } from '@kelisim/identity';
import { RequestMeta } from '@kelisim/memoranda';
import {
  ApiErrorResponses,
  ApiStandardErrors,
  LOCATION_RESPONSE_HEADERS,
  PageOf,
  SetsLocation,
} from '@kelisim/platform';
import { Meta } from '../memoranda/request-meta';
import { ApiUuidParam, uuidParam } from '../uuid-param';

/** Commitments of a memorandum and their occurrences; the status machine's actions. */
@ApiTags('commitments')
@ApiStandardErrors()
@Controller()
export class CommitmentsController {
  constructor(
    private readonly commitments: CommitmentsService,
    private readonly reads: CommitmentReadsService,
    private readonly amendments: AmendmentCommitmentsService,
  ) {}

  @Post('memoranda/:id/commitments')
  @Access.roles(Role.Coordinator)
  @ApiOperation({
    summary:
      'Add a commitment: to the draft’s text (part of the revision hash), to an open amendment’s draft, or while active to the activity plan',
  })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiCreatedResponse({ type: CommitmentResponse, headers: LOCATION_RESPONSE_HEADERS })
  @ApiErrorResponses(409, 422)
  @SetsLocation((c) => `/commitments/${c.id}`)
  async create(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: CreateCommitmentDto,
    @Meta() meta: RequestMeta,
  ) {
    const c = await this.commitments.create(actor, id, dto, meta);
    return 'amendment' in c ? c : this.reads.view(c.id);
  }

  @Get('memoranda/:id/commitments')
  @Access.authenticated()
  @ApiOperation({ summary: 'List the commitments of a memorandum, with their occurrences' })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiOkResponse({ type: PageOf(CommitmentResponse) })
  list(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() q: ListCommitmentsQuery) {
    return this.reads.list(actor, id, q);
  }

  @Get('commitments/:id')
  @Access.authenticated()
  @ApiOperation({ summary: 'Read a commitment with its occurrences' })
  @ApiUuidParam('id', 'Commitment id')
  @ApiOkResponse({ type: CommitmentResponse })
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.reads.get(actor, id);
  }

  @Patch('commitments/:id')
  @Access.roles(Role.Coordinator)
  @ApiOperation({
    summary:
      'Change a commitment’s terms: text ones in the draft or in an open amendment’s draft (answered as proposed), plan ones while active',
  })
  @ApiUuidParam('id', 'Commitment id')
  @ApiOkResponse({ type: CommitmentResponse })
  @ApiErrorResponses(409, 422)
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: UpdateCommitmentDto,
    @Meta() meta: RequestMeta,
  ) {
    const c = await this.commitments.update(actor, id, dto, meta);
    return 'amendment' in c ? c : this.reads.view(id);
  }

  @Delete('commitments/:id')
  @HttpCode(204)
  @Access.roles(Role.Coordinator)
  @ApiOperation({
    summary:
      'Remove a text commitment from the draft, or from an open amendment’s draft (it is cancelled when the amendment takes effect)',
  })
  @ApiUuidParam('id', 'Commitment id (or the key of one an open amendment added)')
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrorResponses(409)
  async remove(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Meta() meta: RequestMeta) {
    await this.commitments.remove(actor, id, meta);
  }

  @Get('memoranda/:id/amendment/commitments')
  @Access.authenticated()
  @ApiOperation({
    summary: 'The text commitments an open amendment proposes: added, changed, unchanged and removed ones',
  })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiOkResponse({ type: AmendmentCommitmentsResponse })
  @ApiErrorResponses(409)
  amendmentCommitments(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.amendments.list(actor, id);
  }

  @Get('commitments/:id/occurrences')
  @Access.authenticated()
  @ApiOperation({ summary: 'The dated occurrences of a commitment, each with its status and reports' })
  @ApiUuidParam('id', 'Commitment id')
  @ApiOkResponse({ type: OccurrenceListResponse })
  occurrences(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.reads.occurrences(actor, id);
  }

  @Post('commitments/:id/start')
  @HttpCode(200)
  @Access.authenticated()
  @ApiOperation({ summary: 'A responsible party starts work: planned → in_progress' })
  @ApiUuidParam('id', 'Commitment id')
  @ApiOkResponse({ type: CommitmentResponse })
  @ApiErrorResponses(409)
  async start(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Meta() meta: RequestMeta) {
    await this.commitments.act(actor, id, 'start', {}, meta);
    return this.reads.view(id);
  }

  @Post('commitments/:id/complete')
  @HttpCode(200)
  @Access.authenticated()
  @ApiOperation({ summary: 'A responsible party completes the commitment, or one occurrence (`occurrenceDate`)' })
  @ApiUuidParam('id', 'Commitment id')
  @ApiOkResponse({ type: CommitmentResponse })
  @ApiErrorResponses(409, 422)
  async complete(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: CommitmentActionDto,
    @Meta() meta: RequestMeta,
  ) {
    await this.commitments.act(actor, id, 'complete', dto, meta);
    return this.reads.view(id);
  }

  @Post('commitments/:id/cancel')
  @HttpCode(200)
  @Access.roles(Role.Coordinator)
  @ApiOperation({ summary: 'The coordinator cancels the commitment, or one occurrence (`occurrenceDate`)' })
  @ApiUuidParam('id', 'Commitment id')
  @ApiOkResponse({ type: CommitmentResponse })
  @ApiErrorResponses(409, 422)
  async cancel(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: CommitmentActionDto,
    @Meta() meta: RequestMeta,
  ) {
    await this.commitments.act(actor, id, 'cancel', dto, meta);
    return this.reads.view(id);
  }
}
