import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  CreateFeedTokenDto,
  Calendar,
  ExportsService,
  FeedOrganisationListResponse,
  FeedTokenListResponse,
  FeedTokensService,
  NewFeedTokenResponse,
} from '@kelisim/commitments';
import { Access, Actor, CurrentActor } from '@kelisim/identity';
import { AnswerCarriesSecret, ApiErrorResponses, ApiStandardErrors } from '@kelisim/platform';
import { ApiUuidParam, uuidParam } from '../uuid-param';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const bytes = (type: string, description: string) =>
  ApiOkResponse({ description, content: { [type]: { schema: { type: 'string', format: 'binary' } } } });
/** A calendar: iCalendar with a weak ETag of its events; 304 to If-None-Match when unchanged. */
const calendarResponses = () => (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
  ApiOkResponse({
    description: 'iCalendar (RFC 5545), streamed',
    headers: { ETag: { description: 'Weak ETag of the events (DTSTAMP aside)', schema: { type: 'string' } } },
    content: { 'text/calendar': { schema: { type: 'string', format: 'binary' } } },
  })(target, key, descriptor);
  ApiResponse({ status: 304, description: 'Not modified: If-None-Match holds the calendar’s ETag' })(
    target,
    key,
    descriptor,
  );
};
const attachment = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** Exports of commitments and occurrences, calendar feeds, and the feed tokens that open them. */
@ApiTags('commitments')
@ApiStandardErrors()
@Controller()
export class ExportsController {
  constructor(
    private readonly exports: ExportsService,
    private readonly feeds: FeedTokensService,
  ) {}

  @Get('memoranda/:id/commitments.csv')
  @Access.authenticated()
  @ApiOperation({ summary: 'Commitments and occurrences as CSV (UTF-8 with BOM), streamed' })
  @ApiUuidParam('id', 'Memorandum id')
  @bytes('text/csv', 'One row per occurrence (or per commitment without dates)')
  async csv(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Res() res: Response) {
    const { title } = await this.exports.prepare(actor, id);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', attachment(`${title.slice(0, 80)}.csv`));
    await this.exports.csv(id, res);
  }

  @Get('memoranda/:id/commitments.xlsx')
  @Access.authenticated()
  @ApiOperation({ summary: 'Commitments and occurrences as an XLSX workbook, streamed' })
  @ApiUuidParam('id', 'Memorandum id')
  @bytes(XLSX, 'One row per occurrence (or per commitment without dates)')
  async xlsx(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Res() res: Response) {
    const { title } = await this.exports.prepare(actor, id);
    res.setHeader('Content-Type', XLSX);
    res.setHeader('Content-Disposition', attachment(`${title.slice(0, 80)}.xlsx`));
    await this.exports.xlsx(id, title, res);
  }

  @Get('memoranda/:id/calendar.ics')
  @Access.authenticated()
  @ApiOperation({ summary: 'The memorandum’s due dates and occurrences as iCalendar, with alarms' })
  @ApiUuidParam('id', 'Memorandum id')
  @calendarResponses()
  async memorandumCalendar(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.sendCalendar(req, res, await this.exports.memorandumCalendar(actor, id));
  }

  @Get('organisations/:id/calendar.ics')
  @Access.public()
  @ApiOperation({
    summary: 'An organisation’s calendar feed, opened by a feed token in the URL (for calendar programs)',
  })
  @ApiUuidParam('id', 'Organisation id')
  @ApiQuery({ name: 'token', required: true, description: 'A feed token (POST /me/feed-tokens)' })
  @calendarResponses()
  @ApiErrorResponses(401)
  async organisationCalendar(
    @Param('id', uuidParam('id')) id: string,
    @Query('token') token: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const actor = await this.feeds.actorOf(token);
    const calendar = await this.exports.organisationCalendar(actor, id);
    res.setHeader('Cache-Control', 'private, max-age=300');
    await this.sendCalendar(req, res, calendar);
  }

  /** A calendar streamed (ics-writer), with a weak ETag of its events: 304 when the client has it. */
  private async sendCalendar(req: Request, res: Response, calendar: Calendar) {
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    res.setHeader('ETag', calendar.etag);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    await this.exports.writeCalendar(res, calendar);
  }

  @Post('me/feed-tokens')
  @Access.authenticated()
  @AnswerCarriesSecret()
  @ApiOperation({ summary: 'Make a calendar feed token (shown once; stored hashed)' })
  @ApiCreatedResponse({ type: NewFeedTokenResponse })
  createFeedToken(@CurrentActor() actor: Actor, @Body() dto: CreateFeedTokenDto) {
    return this.feeds.create(actor, dto.name);
  }

  @Get('me/feed-organisations')
  @Access.authenticated()
  @ApiOperation({
    summary: 'The organisations whose calendar feed the caller may open (GET /organisations/{id}/calendar.ics)',
  })
  @ApiOkResponse({ type: FeedOrganisationListResponse })
  feedOrganisations(@CurrentActor() actor: Actor) {
    return this.exports.feedOrganisations(actor);
  }

  @Get('me/feed-tokens')
  @Access.authenticated()
  @ApiOperation({ summary: 'The caller’s feed tokens (never the tokens themselves)' })
  @ApiOkResponse({ type: FeedTokenListResponse })
  listFeedTokens(@CurrentActor() actor: Actor) {
    return this.feeds.list(actor);
  }

  @Delete('me/feed-tokens/:id')
  @HttpCode(204)
  @Access.authenticated()
  @ApiOperation({ summary: 'Revoke a feed token: its feeds answer 401 from now on' })
  @ApiUuidParam('id')
  @ApiNoContentResponse({ description: 'Revoked' })
  async revokeFeedToken(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    await this.feeds.revoke(actor, id);
  }
}
