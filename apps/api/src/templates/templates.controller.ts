import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Actor, CurrentActor, Role } from '@kelisim/identity';
import { MemorandaService, RequestMeta } from '@kelisim/memoranda';
import {
  ApiErrorResponses,
  ApiStandardErrors,
  ETAG_RESPONSE_HEADERS,
  LOCATION_RESPONSE_HEADERS,
  PageOf,
  SetsEtag,
  SetsLocation,
} from '@kelisim/platform';
import { ReminderPoliciesService } from '@kelisim/reminders';
import {
  CreateTemplateDto,
  FromTemplateDto,
  ListTemplatesQuery,
  MemorandumFromTemplateResponse,
  TemplateResponse,
  TemplatesService,
  TemplateSummaryResponse,
  TemplateVersionQuery,
  UpdateTemplateDto,
} from '@kelisim/templates';
import { Meta } from '../memoranda/request-meta';
import { ApiUuidParam, uuidParam } from '../uuid-param';

/** Memorandum templates (versioned; organisation-owned, shared, or shipped) and memoranda made from them. */
@ApiTags('templates')
@ApiStandardErrors()
@Controller()
export class TemplatesController {
  constructor(
    private readonly templates: TemplatesService,
    private readonly memoranda: MemorandaService,
    private readonly policies: ReminderPoliciesService,
  ) {}

  @Post('templates')
  @Access.roles(Role.Coordinator, Role.Admin)
  @ApiOperation({ summary: "A template owned by the caller's organisation (version 1)" })
  @ApiCreatedResponse({ type: TemplateResponse, headers: LOCATION_RESPONSE_HEADERS })
  @ApiErrorResponses(422)
  @SetsLocation((t) => `/templates/${t.id}`)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTemplateDto) {
    return this.templates.create(actor, dto);
  }

  @Get('templates')
  @Access.authenticated()
  @ApiOperation({ summary: "Templates the caller may use: their organisation's, shared ones and those shipped" })
  @ApiOkResponse({ type: PageOf(TemplateSummaryResponse) })
  list(@CurrentActor() actor: Actor, @Query() q: ListTemplatesQuery) {
    return this.templates.list(actor, q);
  }

  @Get('templates/:id')
  @Access.authenticated()
  @ApiOperation({ summary: 'A template: its current version, or `?version=`' })
  @ApiUuidParam('id', 'Template id')
  @ApiOkResponse({ type: TemplateResponse })
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() q: TemplateVersionQuery) {
    return this.templates.get(actor, id, q.version);
  }

  @Patch('templates/:id')
  @Access.roles(Role.Coordinator, Role.Admin)
  @ApiOperation({ summary: 'A new version: the fields sent replace those of the current version' })
  @ApiUuidParam('id', 'Template id')
  @ApiOkResponse({ type: TemplateResponse })
  @ApiErrorResponses(422)
  update(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() dto: UpdateTemplateDto) {
    return this.templates.update(actor, id, dto);
  }

  @Post('memoranda/from-template')
  @Access.roles(Role.Coordinator)
  @ApiOperation({
    summary: 'Draft a memorandum from a template with values for its placeholders',
    description:
      'An unknown or missing placeholder is a 422 naming it (`errors[].field` = `values.<name>`). With `parties` ' +
      "(or `blueprintLeads`) the template's commitment blueprints become the draft's text commitments, led by the " +
      'party chosen in `blueprintLeads` or else by the coordinating organisation; a lead that is not a party is a ' +
      '422 naming it (`blueprintLeads.<key>`). One transaction: a refusal writes nothing.',
  })
  @ApiCreatedResponse({
    type: MemorandumFromTemplateResponse,
    headers: { ...LOCATION_RESPONSE_HEADERS, ...ETAG_RESPONSE_HEADERS },
  })
  @ApiErrorResponses(422)
  @SetsLocation((m) => `/memoranda/${m.id}`)
  @SetsEtag()
  async fromTemplate(@CurrentActor() actor: Actor, @Body() dto: FromTemplateDto, @Meta() meta: RequestMeta) {
    const { memorandum, commitments, reminderPolicies } = await this.templates.createMemorandum(actor, dto, meta);
    if (reminderPolicies) await this.policies.put(memorandum.id, actor, reminderPolicies);
    return {
      ...(await this.memoranda.get(actor, memorandum.id)),
      commitments: commitments.map((c) => ({
        blueprintKey: c.blueprintKey,
        id: c.id,
        title: c.title,
        leadOrganisationId: c.leadOrganisationId,
        organisationIds: c.organisationIds,
        dueDate: c.dueDate,
        rrule: c.rrule,
      })),
    };
  }
}
