import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Given, IsDateField, PageQuery, trimText } from '@kelisim/platform';
import { COMMITMENT_ORIGINS, COMMITMENT_STATUSES, CommitmentOrigin, CommitmentStatus } from '../vocabulary';

/** Optional and nullable: `null` clears it. */
const Clearable = () => ValidateIf((_o: unknown, v: unknown) => v !== undefined && v !== null);

export class TargetDto {
  @ApiProperty({ minimum: 1, maximum: 1_000_000_000, example: 4 })
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(1_000_000_000)
  quantity: number;

  @ApiProperty({ maxLength: 100, example: 'joint events a year' })
  @Transform(trimText)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  unit: string;
}

export class CreateCommitmentDto {
  @ApiProperty({ maxLength: 500 })
  @Transform(trimText)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  title: string;

  @ApiPropertyOptional({ maxLength: 20000 })
  @Given()
  @IsString()
  @MaxLength(20_000)
  description?: string;

  @ApiPropertyOptional({ maxLength: 100, example: 'п. 2.1' })
  @Given()
  @Transform(trimText)
  @IsString()
  @MaxLength(100)
  clauseRef?: string;

  @ApiProperty({ format: 'uuid', description: 'The lead party (a party of the memorandum)' })
  @IsUUID('all', { message: 'must be a UUID' })
  leadOrganisationId: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Other responsible parties' })
  @Given()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'must be a list of UUIDs' })
  organisationIds?: string[];

  @ApiPropertyOptional({ type: TargetDto })
  @Given()
  @ValidateNested()
  @Type(() => TargetDto)
  target?: TargetDto;

  @ApiPropertyOptional({ format: 'date', description: 'Within the memorandum’s term; or give `rrule`' })
  @Given()
  @IsDateField()
  dueDate?: string;

  @ApiPropertyOptional({ maxLength: 500, example: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=25' })
  @Given()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  rrule?: string;

  @ApiPropertyOptional({
    enum: COMMITMENT_ORIGINS,
    description:
      'Default: `text` in a draft and in an open amendment’s draft, `plan` while active otherwise. ' +
      '`plan` adds to the activity plan while an amendment is being drafted; `text` while active without one is 409',
  })
  @Given()
  @IsIn(COMMITMENT_ORIGINS, { message: `must be one of: ${COMMITMENT_ORIGINS.join(', ')}` })
  origin?: CommitmentOrigin;
}

/** Terms of a commitment; `null` clears an optional one. The version read last must come with it. */
export class UpdateCommitmentDto {
  @ApiProperty({ minimum: 1, description: 'The version read last; a stale one is refused (409)' })
  @IsInt()
  @Min(1)
  @Max(2 ** 31 - 1)
  version: number;

  @ApiPropertyOptional({ maxLength: 500 })
  @Given()
  @Transform(trimText)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  title?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 20000, nullable: true })
  @Clearable()
  @IsString()
  @MaxLength(20_000)
  description?: string | null;

  @ApiPropertyOptional({ type: 'string', maxLength: 100, nullable: true })
  @Clearable()
  @IsString()
  @MaxLength(100)
  clauseRef?: string | null;

  @ApiPropertyOptional({ format: 'uuid' })
  @Given()
  @IsUUID('all', { message: 'must be a UUID' })
  leadOrganisationId?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @Given()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'must be a list of UUIDs' })
  organisationIds?: string[];

  @ApiPropertyOptional({ type: TargetDto, nullable: true })
  @Clearable()
  @ValidateNested()
  @Type(() => TargetDto)
  target?: TargetDto | null;

  @ApiPropertyOptional({ type: 'string', format: 'date', nullable: true })
  @Clearable()
  @IsDateField()
  dueDate?: string | null;

  @ApiPropertyOptional({ type: 'string', maxLength: 500, nullable: true })
  @Clearable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  rrule?: string | null;
}

/** `complete` and `cancel`: the whole commitment, or one occurrence of it. */
export class CommitmentActionDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @Given()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ format: 'date', description: 'The occurrence this is about' })
  @Given()
  @IsDateField()
  occurrenceDate?: string;
}

export class ListCommitmentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: COMMITMENT_STATUSES })
  @IsOptional()
  @IsIn(COMMITMENT_STATUSES, { message: `must be one of: ${COMMITMENT_STATUSES.join(', ')}` })
  status?: CommitmentStatus;
}
