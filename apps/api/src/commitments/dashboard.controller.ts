import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  DashboardOccurrencePageResponse,
  DashboardQuery,
  DashboardService,
  OverviewResponse,
  ScorecardResponse,
  TrendResponse,
  TimelineItemResponse,
  TimelineService,
} from '@kelisim/commitments';
import { Access, Actor, CurrentActor } from '@kelisim/identity';
import { ApiStandardErrors, PageOf } from '@kelisim/platform';
import { ApiUuidParam, uuidParam } from '../uuid-param';

/** Supervisors see their scope; everyone else the memoranda of their own organisation. */
@ApiTags('dashboard')
@ApiStandardErrors()
@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly timelines: TimelineService,
  ) {}

  @Get('overview')
  @Access.authenticated()
  @ApiOperation({
    summary:
      'Memoranda by state, parties waiting longer than N days, memoranda ending and commitments due within N days',
  })
  @ApiOkResponse({ type: OverviewResponse })
  overview(@CurrentActor() actor: Actor, @Query() q: DashboardQuery) {
    return this.dashboard.overview(actor, q);
  }

  @Get('commitments')
  @Access.authenticated()
  @ApiOperation({ summary: 'Occurrences in scope, most urgent first (overdue, then due soonest)' })
  @ApiOkResponse({ type: DashboardOccurrencePageResponse })
  commitments(@CurrentActor() actor: Actor, @Query() q: DashboardQuery) {
    return this.dashboard.commitments(actor, q);
  }

  @Get('trend')
  @Access.authenticated()
  @ApiOperation({
    summary: 'Occurrences completed on time, completed late and overdue, by quarter of their due date',
    description:
      'Over the memoranda the caller sees, with the overview’s organisation and memorandum state filters; ' +
      '`from`/`to` bound the due dates.',
  })
  @ApiOkResponse({ type: TrendResponse })
  trend(@CurrentActor() actor: Actor, @Query() q: DashboardQuery) {
    return this.dashboard.trend(actor, q);
  }

  @Get('organisations/:id')
  @Access.authenticated()
  @ApiOperation({
    summary: 'A party’s scorecard: commitments led, on time, late, overdue, reports, on-time rate',
    description:
      'Counted over the memoranda the caller sees. Readable for the caller’s organisation and, for a supervisor, ' +
      'the organisations of their scopes and every party or coordinator of a memorandum they see; 404 otherwise.',
  })
  @ApiUuidParam('id', 'Organisation id')
  @ApiOkResponse({ type: ScorecardResponse })
  scorecard(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() q: DashboardQuery) {
    return this.dashboard.scorecard(actor, id, q);
  }

  @Get('memoranda/:id/timeline')
  @Access.authenticated()
  @ApiOperation({ summary: 'History, reports, due and done dates of a memorandum in one ordered list' })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiOkResponse({ type: PageOf(TimelineItemResponse) })
  timeline(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() q: DashboardQuery) {
    return this.timelines.timeline(actor, id, q);
  }
}
