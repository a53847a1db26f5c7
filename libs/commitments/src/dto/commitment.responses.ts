/** Answer schemas of the follow-up endpoints (OpenAPI): commitments, occurrences, reports, evidence files. */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ApiBool, ApiDate, ApiDateTime, ApiInt, ApiSha256, ApiUuid } from '@kelisim/platform';
import { COMMITMENT_ORIGINS, COMMITMENT_STATUSES } from '../vocabulary';

const ACTIONS = ['start', 'complete', 'cancel'];

@ApiSchema({ name: 'CommitmentTarget' })
export class CommitmentTargetResponse {
  @ApiInt() quantity: number;
  @ApiProperty() unit: string;
}

@ApiSchema({ name: 'Occurrence' })
export class OccurrenceResponse {
  @ApiUuid() id: string;
  @ApiDate() date: string;
  @ApiProperty({ enum: COMMITMENT_STATUSES }) status: string;
  @ApiDateTime({ description: 'When it becomes overdue if unfinished: the next day, in the memorandum’s time zone' })
  overdueAt: Date;
  @ApiDateTime({ nullable: true }) completedAt: Date | null;
  @ApiBool({ description: 'Completed after it had become overdue' }) late: boolean;
  @ApiUuid({ isArray: true }) reportIds: string[];
}

@ApiSchema({ name: 'OccurrenceList' })
export class OccurrenceListResponse {
  @ApiProperty({ type: [OccurrenceResponse] }) items: OccurrenceResponse[];
}

@ApiSchema({ name: 'CommitmentAmendment' })
export class CommitmentAmendmentResponse {
  @ApiInt({ description: 'The amendment’s revision' }) revisionNumber: number;
  @ApiProperty({
    enum: ['added', 'changed', 'unchanged', 'removed'],
    description: 'What the amendment does to the commitment of the text in force when it takes effect',
  })
  change: string;
}

@ApiSchema({ name: 'Commitment' })
export class CommitmentResponse {
  @ApiUuid() id: string;
  @ApiUuid() memorandumId: string;
  @ApiProperty({ enum: COMMITMENT_ORIGINS, description: 'text: part of the signed revision; plan: activity plan' })
  origin: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: 'string', nullable: true }) description: string | null;
  @ApiProperty({ type: 'string', nullable: true }) clauseRef: string | null;
  @ApiUuid() leadOrganisationId: string;
  @ApiUuid({ isArray: true }) organisationIds: string[];
  @ApiProperty({ type: CommitmentTargetResponse, nullable: true }) target: CommitmentTargetResponse | null;
  @ApiDate({ nullable: true }) dueDate: string | null;
  @ApiProperty({ type: 'string', nullable: true }) rrule: string | null;
  @ApiProperty({ enum: COMMITMENT_STATUSES }) status: string;
  @ApiInt({ nullable: true }) frozenRevisionNumber: number | null;
  @ApiInt() version: number;
  @ApiDateTime() createdAt: Date;
  @ApiDateTime() updatedAt: Date;
  @ApiProperty({ enum: ACTIONS, isArray: true }) allowedActions: string[];
  @ApiUuid({ isArray: true, description: 'Reports against the whole commitment' }) reportIds: string[];
  @ApiProperty({ type: [OccurrenceResponse] }) occurrences: OccurrenceResponse[];
  @ApiPropertyOptional({
    type: CommitmentAmendmentResponse,
    description:
      'Only on a commitment as an open amendment proposes it (`id` is its key; no occurrences until the amendment takes effect)',
  })
  amendment?: CommitmentAmendmentResponse;
}

@ApiSchema({ name: 'AmendmentCommitments' })
export class AmendmentCommitmentsResponse {
  @ApiInt({ description: 'The amendment’s current revision' }) revisionNumber: number;
  @ApiBool({ description: 'Submitted for approval: its commitments change only after a party requests changes' })
  frozen: boolean;
  @ApiProperty({ type: [CommitmentResponse], description: 'As proposed; removed ones with `amendment.change` removed' })
  items: CommitmentResponse[];
}

@ApiSchema({ name: 'EvidenceFile' })
export class EvidenceFileResponse {
  @ApiUuid() id: string;
  @ApiProperty() name: string;
  @ApiProperty() contentType: string;
  @ApiInt() size: number;
  @ApiSha256() sha256: string;
}

@ApiSchema({ name: 'ActivityReport' })
export class ReportResponse {
  @ApiUuid() id: string;
  @ApiUuid() commitmentId: string;
  @ApiUuid() memorandumId: string;
  @ApiUuid({ description: 'The reporting party' }) organisationId: string;
  @ApiUuid() authorUserId: string;
  @ApiDate({ nullable: true }) occurrenceDate: string | null;
  @ApiDate() date: string;
  @ApiProperty() summary: string;
  @ApiInt({ nullable: true }) participants: number | null;
  @ApiProperty({ type: 'string', nullable: true }) outcome: string | null;
  @ApiProperty({ type: [String] }) links: string[];
  @ApiInt() version: number;
  @ApiDateTime() createdAt: Date;
  @ApiDateTime() updatedAt: Date;
  @ApiProperty({ type: [EvidenceFileResponse] }) files: EvidenceFileResponse[];
}
