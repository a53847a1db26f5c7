import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, Actor, CurrentActor, Role } from '@kelisim/identity';
import { CreateWebhookDto, WebhooksService } from '@kelisim/notifications';
import { AnswerCarriesSecret } from '@kelisim/platform';
import { uuidParam } from '../uuid-param';
import { pageQuery } from './page-query';

/**
 * An organisation's webhooks, managed by its coordinators and admins (of that organisation only).
 * The secret is returned once, when the webhook is created.
 */
@ApiTags('notifications')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Access.roles(Role.Coordinator, Role.Admin, Role.PartyRepresentative)
  @AnswerCarriesSecret()
  create(@CurrentActor() actor: Actor, @Body() body: CreateWebhookDto) {
    return this.webhooks.create(actor.organisationId, actor.userId, body);
  }

  @Get()
  @Access.roles(Role.Coordinator, Role.Admin, Role.PartyRepresentative)
  async list(@CurrentActor() actor: Actor) {
    return { items: await this.webhooks.list(actor.organisationId) };
  }

  @Delete(':id')
  @HttpCode(204)
  @Access.roles(Role.Coordinator, Role.Admin, Role.PartyRepresentative)
  async remove(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    await this.webhooks.remove(actor.organisationId, id);
  }

  @Get(':id/deliveries')
  @Access.roles(Role.Coordinator, Role.Admin, Role.PartyRepresentative)
  deliveries(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Query() q: Record<string, string>,
  ) {
    return this.webhooks.deliveries(actor.organisationId, id, pageQuery(q));
  }
}
