import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { IsDateField, PageQuery } from '@kelisim/platform';
import { COMMITMENT_STATUSES, CommitmentStatus } from '../vocabulary';

const MEMORANDUM_STATUSES = [
  'draft',
  'in_review',
  'approved',
  'signing',
  'executed',
  'active',
  'expired',
  'terminated',
  'withdrawn',
];

/** The filters every dashboard view takes. */
export class DashboardQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Memoranda this organisation coordinates or is party to' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  organisationId?: string;

  @ApiPropertyOptional({
    enum: [...new Set([...MEMORANDUM_STATUSES, ...COMMITMENT_STATUSES])],
    description: 'Memorandum state (overview) or commitment status (commitments)',
  })
  @IsOptional()
  @IsIn([...new Set([...MEMORANDUM_STATUSES, ...COMMITMENT_STATUSES])], { message: 'must be a known status' })
  status?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Occurrences (or events) on or after this date' })
  @IsOptional()
  @IsDateField()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Occurrences (or events) on or before this date' })
  @IsOptional()
  @IsDateField()
  to?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 3650, default: 30 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  withinDays = 30;
}

export const isCommitmentStatus = (s: string | undefined): s is CommitmentStatus =>
  !!s && (COMMITMENT_STATUSES as string[]).includes(s);
export const DASHBOARD_MEMORANDUM_STATUSES = MEMORANDUM_STATUSES;
