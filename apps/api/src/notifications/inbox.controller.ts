import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, Actor, CurrentActor } from '@kelisim/identity';
import { InboxService } from '@kelisim/notifications';
import { uuidParam } from '../uuid-param';
import { pageQuery } from './page-query';

/** The signed-in user's in-app inbox. */
@ApiTags('notifications')
@Controller('me/notifications')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  /** `?unread=true&page=&pageSize=` → `{ items, total, page, pageSize, unreadCount }`, newest first. */
  @Get()
  @Access.authenticated()
  list(@CurrentActor() actor: Actor, @Query() q: Record<string, string>) {
    return this.inbox.list(actor.userId, { ...pageQuery(q), unread: q.unread === 'true' });
  }

  @Post(':id/read')
  @HttpCode(200)
  @Access.authenticated()
  read(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.inbox.markRead(actor.userId, id);
  }
}
