/** Schemas of the reminder-policies endpoints (OpenAPI); the body is validated by the service. */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
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

@ApiSchema({ name: 'ReminderPolicyChange' })
export class ReminderPolicyChangeSchema {
  @ApiProperty({ enum: POLICY_KINDS }) kind: string;
  @ApiPropertyOptional({ type: 'boolean', nullable: true }) enabled?: boolean | null;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 365, nullable: true }) intervalDays?: number | null;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 50, nullable: true }) maxCount?: number | null;
  @ApiPropertyOptional({ type: 'integer', isArray: true, maxItems: 10, nullable: true }) offsetsDays?: number[] | null;
  @ApiPropertyOptional({ enum: ESCALATION, nullable: true }) escalateTo?: string | null;
}

@ApiSchema({ name: 'ReminderPoliciesChange', description: 'A kind left out keeps its value' })
export class ReminderPoliciesChangeSchema {
  @ApiProperty({ type: [ReminderPolicyChangeSchema], minItems: 1 }) items: ReminderPolicyChangeSchema[];
}
