/** Answer schemas of the reminder-policies endpoints (OpenAPI); the request body is `PutReminderPoliciesDto`. */
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ApiBool, ApiDateTime, ApiUuid } from '@kelisim/platform';
import { POLICY_KINDS } from './policies';

const ESCALATION = ['supervisors', 'none'];

@ApiSchema({ name: 'ReminderPolicyValues' })
export class ReminderPolicyValuesResponse {
  @ApiProperty({ enum: POLICY_KINDS }) kind: string;
  @ApiBool() enabled: boolean;
  @ApiProperty({ type: 'integer', nullable: true, description: 'review, signing: days between reminders' })
  intervalDays: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'review, signing: reminders before escalating' })
  maxCount: number | null;
  @ApiProperty({ type: 'integer', isArray: true, nullable: true, description: 'term_end: days before the end date' })
  offsetsDays: number[] | null;
  @ApiProperty({ enum: ESCALATION }) escalateTo: string;
}

@ApiSchema({ name: 'ReminderPolicy' })
export class ReminderPolicyResponse extends ReminderPolicyValuesResponse {
  @ApiBool({ description: 'No value stored for this memorandum' }) isDefault: boolean;
  @ApiDateTime({ nullable: true }) updatedAt: Date | null;
}

@ApiSchema({ name: 'ReminderPolicies' })
export class ReminderPoliciesResponse {
  @ApiUuid() memorandumId: string;
  @ApiProperty({ type: [ReminderPolicyResponse] }) items: ReminderPolicyResponse[];
  @ApiProperty({ type: [ReminderPolicyValuesResponse] }) defaults: ReminderPolicyValuesResponse[];
}
