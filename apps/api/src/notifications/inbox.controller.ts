import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Actor, CurrentActor } from '@kelisim/identity';
import {
  InboxQuery,
  InboxReadAllResponse,
  InboxResponse,
  InboxService,
  NotificationPreferencesDto,
  NotificationPreferencesResponse,
  NotificationPreferencesService,
  NotificationResponse,
} from '@kelisim/notifications';
import { ApiStandardErrors } from '@kelisim/platform';
import { ApiUuidParam, uuidParam } from '../uuid-param';

/** The signed-in user's in-app inbox. */
@ApiTags('notifications')
@ApiStandardErrors()
@Controller('me/notifications')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Post('read-all')
  @HttpCode(200)
  @Access.authenticated()
  @ApiOperation({ summary: 'Mark every notification of the signed-in user read' })
  @ApiOkResponse({ type: InboxReadAllResponse })
  readAll(@CurrentActor() actor: Actor) {
    return this.inbox.markAllRead(actor.userId);
  }

  @Get()
  @Access.authenticated()
  @ApiOperation({ summary: "The signed-in user's notifications, newest first, with the unread count" })
  @ApiOkResponse({ type: InboxResponse })
  list(@CurrentActor() actor: Actor, @Query() q: InboxQuery) {
    return this.inbox.list(actor.userId, { page: q.page, pageSize: q.pageSize, unread: q.unread === 'true' });
  }

  @Post(':id/read')
  @HttpCode(200)
  @Access.authenticated()
  @ApiOperation({ summary: 'Mark a notification read' })
  @ApiUuidParam()
  @ApiOkResponse({ type: NotificationResponse })
  read(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.inbox.markRead(actor.userId, id);
  }
}

/** The signed-in user's channels for notices sent at once (in-app always; e-mail on or off, per kind). */
@ApiTags('notifications')
@ApiStandardErrors()
@Controller('me/notification-preferences')
export class NotificationPreferencesController {
  constructor(private readonly preferences: NotificationPreferencesService) {}

  @Get()
  @Access.authenticated()
  @ApiOperation({ summary: "The signed-in user's notice channels" })
  @ApiOkResponse({ type: NotificationPreferencesResponse })
  get(@CurrentActor() actor: Actor) {
    return this.preferences.get(actor.userId);
  }

  @Put()
  @Access.authenticated()
  @ApiOperation({ summary: "Change the signed-in user's notice channels (absent fields keep their value)" })
  @ApiOkResponse({ type: NotificationPreferencesResponse })
  set(@CurrentActor() actor: Actor, @Body() dto: NotificationPreferencesDto) {
    return this.preferences.set(actor.userId, dto);
  }
}
