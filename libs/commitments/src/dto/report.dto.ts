import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { Given, IsDateField } from '@kelisim/platform';

const Clearable = () => ValidateIf((_o: unknown, v: unknown) => v !== undefined && v !== null);
const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true };

/** The `report` part of a report upload (JSON), and the body of a coordinator's correction. */
export class ReportDto {
  @ApiProperty({ format: 'date', description: 'When the activity took place' })
  @IsDateField()
  date: string;

  @ApiProperty({ maxLength: 20000, description: 'What was done' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20_000)
  summary: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 10_000_000 })
  @Given()
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  @Max(10_000_000)
  participants?: number;

  @ApiPropertyOptional({ maxLength: 20000 })
  @Given()
  @IsString()
  @MaxLength(20_000)
  outcome?: string;

  @ApiPropertyOptional({ type: [String], format: 'uri', maxItems: 20 })
  @Given()
  @IsArray()
  @ArrayMaxSize(20)
  @MaxLength(2000, { each: true })
  @IsUrl(URL_OPTIONS, { each: true, message: 'must be a list of http(s) URLs' })
  links?: string[];

  @ApiPropertyOptional({ format: 'date', description: 'The occurrence the report is about' })
  @Given()
  @IsDateField()
  occurrenceDate?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Declared SHA-256 (hex) of each evidence file, in the order of the `files` parts',
  })
  @Given()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[0-9a-fA-F]{64}$/, { each: true, message: 'must be a list of SHA-256 values in hex' })
  sha256?: string[];
}

/** A coordinator's correction: the fields given replace the report's; the earlier text stays in history. */
export class CorrectReportDto {
  @ApiProperty({ minimum: 1, description: 'The version read last; a stale one is refused (409)' })
  @IsInt()
  @Min(1)
  @Max(2 ** 31 - 1)
  version: number;

  @ApiProperty({ maxLength: 2000, description: 'Why the report is corrected' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason: string;

  @ApiPropertyOptional({ format: 'date' })
  @Given()
  @IsDateField()
  date?: string;

  @ApiPropertyOptional({ maxLength: 20000 })
  @Given()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20_000)
  summary?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 10_000_000, nullable: true })
  @Clearable()
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  @Max(10_000_000)
  participants?: number | null;

  @ApiPropertyOptional({ type: 'string', maxLength: 20000, nullable: true })
  @Clearable()
  @IsString()
  @MaxLength(20_000)
  outcome?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uri' })
  @Given()
  @IsArray()
  @ArrayMaxSize(20)
  @MaxLength(2000, { each: true })
  @IsUrl(URL_OPTIONS, { each: true, message: 'must be a list of http(s) URLs' })
  links?: string[];
}
