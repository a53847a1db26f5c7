/** Answer schema of GET /me/waiting (OpenAPI). */
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ApiDate, ApiDateTime, ApiInt, ApiText, ApiUuid } from '@kelisim/platform';

export const WAITING_KINDS = [
  'revise',
  'declined',
  'submit',
  'open_signing',
  'approve',
  'sign',
  'commitment_due',
  'commitment_overdue',
] as const;

@ApiSchema({ name: 'WaitingItem' })
export class WaitingItemResponse {
  @ApiProperty({
    enum: WAITING_KINDS,
    description:
      'revise: a party asked for changes; declined: a party declined; submit: a draft; open_signing: approved by ' +
      'every party; approve: a revision awaits your organisation’s decision; sign: your signature is awaited; ' +
      'commitment_due / commitment_overdue: your organisation’s date is today / past',
  })
  kind: string;
  @ApiUuid() memorandumId: string;
  @ApiText() memorandumTitle: string;
  @ApiText({ description: 'Lifecycle state: the status, or amendment_<status> while an amendment is open' })
  state: string;
  @ApiInt({ nullable: true }) revisionNumber: number | null;
  @ApiUuid({ nullable: true, description: 'revise, declined: the party that asked; commitments: the lead party' })
  organisationId: string | null;
  @ApiDateTime({ nullable: true, description: 'Waiting since (the refusal, or the last change); null for dates' })
  since: Date | null;
  @ApiUuid({ nullable: true }) commitmentId: string | null;
  @ApiText({ nullable: true }) commitmentTitle: string | null;
  @ApiDate({ nullable: true, description: 'Commitments: the date due' }) date: string | null;
}

@ApiSchema({ name: 'Waiting' })
export class WaitingResponse {
  @ApiProperty({ type: [WaitingItemResponse] }) items: WaitingItemResponse[];
}
