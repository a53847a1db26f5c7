import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { POLICY_KINDS, PolicyKind } from './policies';

/** One policy to change; a field left out (or null) keeps the default. */
@ApiSchema({ name: 'ReminderPolicyChange' })
export class ReminderPolicyItemDto {
  @ApiProperty({ enum: POLICY_KINDS })
  @IsIn(POLICY_KINDS, { message: `must be one of ${POLICY_KINDS.join(', ')}` })
  kind: PolicyKind;

  @ApiPropertyOptional({ type: 'boolean', nullable: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 365, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  intervalDays?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 50, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(50)
  maxCount?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    isArray: true,
    maxItems: 10,
    nullable: true,
    description: 'term_end: days before the end date, up to 10 from 1 to 3650',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(3650, { each: true })
  offsetsDays?: number[] | null;

  @ApiPropertyOptional({ enum: ['supervisors', 'none'], nullable: true })
  @IsOptional()
  @IsIn(['supervisors', 'none'], { message: 'must be supervisors or none' })
  escalateTo?: 'supervisors' | 'none' | null;
}

/** `PUT /memoranda/{id}/reminder-policies`: at most one item per kind, so the work is bounded. */
@ApiSchema({ name: 'ReminderPoliciesChange', description: 'A kind left out keeps its value' })
export class PutReminderPoliciesDto {
  @ApiProperty({ type: [ReminderPolicyItemDto], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(POLICY_KINDS.length)
  @ValidateNested({ each: true })
  @Type(() => ReminderPolicyItemDto)
  items: ReminderPolicyItemDto[];
}
