import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Actor, CurrentActor } from '@kelisim/identity';
import { InboxQuery, InboxResponse, InboxService, NotificationResponse } from '@kelisim/notifications';
import { ApiStandardErrors } from '@kelisim/platform';
import { ApiUuidParam, uuidParam } from '../uuid-param';

/** The signed-in user's in-app inbox. */
@ApiTags('notifications')
@ApiStandardErrors()
@Controller('me/notifications')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

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
