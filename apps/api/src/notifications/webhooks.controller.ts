import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Actor, CurrentActor, Role } from '@kelisim/identity';
import {
  CreateWebhookDto,
  WebhookCreatedResponse,
  WebhookDeliveryResponse,
  WebhookListResponse,
  WebhooksService,
} from '@kelisim/notifications';
import {
  AnswerCarriesSecret,
  ApiStandardErrors,
  LOCATION_RESPONSE_HEADERS,
  PageOf,
  PageQuery,
  SetsLocation,
} from '@kelisim/platform';
import { ApiUuidParam, uuidParam } from '../uuid-param';

/**
 * An organisation's webhooks, managed by its coordinators and admins (of that organisation only).
 * The secret is returned once, when the webhook is created.
 */
@ApiTags('notifications')
@ApiStandardErrors()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Access.roles(Role.Coordinator, Role.Admin, Role.PartyRepresentative)
  @ApiOperation({ summary: "Register a webhook for the caller's organisation; the secret is shown only here" })
  @ApiCreatedResponse({ type: WebhookCreatedResponse, headers: LOCATION_RESPONSE_HEADERS })
  @SetsLocation((w) => `/webhooks/${w.id}`)
  @AnswerCarriesSecret()
  create(@CurrentActor() actor: Actor, @Body() body: CreateWebhookDto) {
    return this.webhooks.create(actor.organisationId, actor.userId, body);
  }

  @Get()
  @Access.roles(Role.Coordinator, Role.Admin, Role.PartyRepresentative)
  @ApiOperation({ summary: "The caller's organisation's webhooks" })
  @ApiOkResponse({ type: WebhookListResponse })
  async list(@CurrentActor() actor: Actor) {
    return { items: await this.webhooks.list(actor.organisationId) };
  }

  @Delete(':id')
  @HttpCode(204)
  @Access.roles(Role.Coordinator, Role.Admin, Role.PartyRepresentative)
  @ApiOperation({ summary: 'Remove a webhook' })
  @ApiUuidParam()
  @ApiNoContentResponse({ description: 'Removed' })
  async remove(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    await this.webhooks.remove(actor.organisationId, id);
  }

  @Get(':id/deliveries')
  @Access.roles(Role.Coordinator, Role.Admin, Role.PartyRepresentative)
  @ApiOperation({ summary: 'Deliveries of a webhook with each attempt, newest first' })
  @ApiUuidParam()
  @ApiOkResponse({ type: PageOf(WebhookDeliveryResponse) })
  deliveries(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() q: PageQuery) {
    return this.webhooks.deliveries(actor.organisationId, id, q);
  }
}
