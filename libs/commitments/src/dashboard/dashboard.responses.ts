/** Answer schemas of the dashboard endpoints (OpenAPI). */
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ApiDate, ApiDateTime, ApiInt, ApiUuid } from '@kelisim/platform';
import { COMMITMENT_STATUSES } from '../vocabulary';

@ApiSchema({ name: 'DashboardStateCount' })
export class StateCountResponse {
  @ApiProperty() state: string;
  @ApiInt() count: number;
}

@ApiSchema({ name: 'DashboardStatusCount' })
export class StatusCountResponse {
  @ApiProperty({ enum: COMMITMENT_STATUSES }) status: string;
  @ApiInt() count: number;
}

@ApiSchema({ name: 'DashboardWaitingParty' })
export class WaitingPartyResponse {
  @ApiUuid() memorandumId: string;
  @ApiProperty() title: string;
  @ApiUuid() organisationId: string;
  @ApiDateTime({ description: 'Waiting since (review opened, signing opened)' }) since: Date;
}

@ApiSchema({ name: 'DashboardEndingMemorandum' })
export class EndingMemorandumResponse {
  @ApiUuid() memorandumId: string;
  @ApiProperty() title: string;
  @ApiDate() endDate: string;
}

@ApiSchema({ name: 'DashboardPartyCounts' })
export class PartyCountsResponse {
  @ApiUuid({ description: 'The lead party' }) organisationId: string;
  @ApiInt() open: number;
  @ApiInt() overdue: number;
  @ApiInt() completed: number;
}

@ApiSchema({ name: 'DashboardCommitmentCounts' })
export class CommitmentCountsResponse {
  @ApiInt({ description: 'Occurrences overdue' }) overdue: number;
  @ApiInt({ description: 'Open occurrences due within `withinDays`' }) dueSoon: number;
  @ApiProperty({ type: [StatusCountResponse] }) byStatus: StatusCountResponse[];
  @ApiProperty({ type: [PartyCountsResponse] }) byParty: PartyCountsResponse[];
}

@ApiSchema({ name: 'DashboardOverview' })
export class OverviewResponse {
  @ApiDate() today: string;
  @ApiInt() withinDays: number;
  @ApiProperty({ type: [StateCountResponse] }) memorandaByState: StateCountResponse[];
  @ApiProperty({ type: [WaitingPartyResponse], description: 'Parties deciding longer than `withinDays`' })
  reviewsWaiting: WaitingPartyResponse[];
  @ApiProperty({ type: [WaitingPartyResponse], description: 'Parties signing longer than `withinDays`' })
  signaturesWaiting: WaitingPartyResponse[];
  @ApiProperty({ type: [EndingMemorandumResponse] }) endingSoon: EndingMemorandumResponse[];
  @ApiProperty({ type: CommitmentCountsResponse }) commitments: CommitmentCountsResponse;
}

@ApiSchema({ name: 'DashboardOccurrence' })
export class DashboardOccurrenceResponse {
  @ApiUuid() occurrenceId: string;
  @ApiUuid() commitmentId: string;
  @ApiUuid() memorandumId: string;
  @ApiProperty() memorandumTitle: string;
  @ApiProperty() title: string;
  @ApiDate() date: string;
  @ApiProperty({ enum: COMMITMENT_STATUSES }) status: string;
  @ApiDateTime() overdueAt: Date;
  @ApiUuid() leadOrganisationId: string;
  @ApiUuid({ isArray: true }) organisationIds: string[];
}

@ApiSchema({ name: 'DashboardOccurrencePage' })
export class DashboardOccurrencePageResponse {
  @ApiProperty({ type: [DashboardOccurrenceResponse] }) items: DashboardOccurrenceResponse[];
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 10000,
    description: 'Occurrences matching the filters, counted up to 10,000 (then 10000 and `totalExact` false)',
  })
  total: number;
  @ApiProperty({ description: 'false when more than 10,000 occurrences match ("10000+")' }) totalExact: boolean;
  @ApiProperty({ type: 'integer', minimum: 1 }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100 }) pageSize: number;
}

@ApiSchema({ name: 'DashboardTrendQuarter' })
export class TrendQuarterResponse {
  @ApiProperty({ example: '2026-Q3', description: 'The quarter of the due dates (YYYY-"Q"n)' }) quarter: string;
  @ApiInt({ description: 'Occurrences completed on time' }) onTime: number;
  @ApiInt({ description: 'Occurrences completed late' }) late: number;
  @ApiInt({ description: 'Occurrences overdue, not completed' }) overdue: number;
}

@ApiSchema({ name: 'DashboardTrend' })
export class TrendResponse {
  @ApiProperty({ type: [TrendQuarterResponse], description: 'Oldest quarter first; quarters with none left out' })
  quarters: TrendQuarterResponse[];
}

@ApiSchema({ name: 'Scorecard' })
export class ScorecardResponse {
  @ApiUuid() organisationId: string;
  @ApiInt() commitmentsLed: number;
  @ApiInt() completedOnTime: number;
  @ApiInt() completedLate: number;
  @ApiInt() openOverdue: number;
  @ApiInt() open: number;
  @ApiInt() reportsFiled: number;
  @ApiProperty({
    type: 'number',
    nullable: true,
    description: 'completedOnTime / (completedOnTime + completedLate + openOverdue); null when none',
  })
  onTimeRate: number | null;
}

@ApiSchema({ name: 'TimelineItem' })
export class TimelineItemResponse {
  @ApiDateTime() at: Date;
  @ApiProperty({ enum: ['history', 'report', 'due', 'done'] }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: 'string', nullable: true }) action: string | null;
  @ApiUuid({ nullable: true }) commitmentId: string | null;
  @ApiUuid({ nullable: true }) reportId: string | null;
  @ApiUuid({ nullable: true }) organisationId: string | null;
  @ApiDate({ nullable: true }) date: string | null;
  @ApiProperty({ type: 'string', nullable: true }) status: string | null;
}
