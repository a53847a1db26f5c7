import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Given, IsDateField, IsDateTimeField, PageQuery } from '@kelisim/platform';
import {
  DECISIONS,
  Decision,
  MEMORANDUM_LANGUAGES,
  MEMORANDUM_STATUSES,
  MemorandumLanguage,
  MemorandumStatus,
  PARTY_ROLES,
  PartyRole,
  SIGNATURE_LEVELS,
  SignatureLevel,
  SIGNING_MODES,
  SigningMode,
} from '../vocabulary';
import { TranslationsDto } from './translations.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const oneOf = (values: readonly string[]) => ({ message: `must be one of: ${values.join(', ')}` });

export class CreateMemorandumDto {
  @ApiProperty()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  title: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20_000)
  purpose: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500_000)
  body: string;

  @ApiProperty({ enum: MEMORANDUM_LANGUAGES })
  @IsIn(MEMORANDUM_LANGUAGES, oneOf(MEMORANDUM_LANGUAGES))
  language: MemorandumLanguage;

  @ApiPropertyOptional({ default: 'Asia/Almaty', description: 'IANA time zone' })
  @Given()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({ format: 'date' })
  @Given()
  @IsDateField()
  effectiveDate?: string;

  @ApiPropertyOptional({ format: 'date' })
  @Given()
  @IsDateField()
  endDate?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  coordinatingOrganisationId: string;

  @ApiPropertyOptional({ type: TranslationsDto, description: 'The text in other languages (kk, ru, en)' })
  @Given()
  @IsObject()
  @ValidateNested()
  @Type(() => TranslationsDto)
  translations?: TranslationsDto;

  @ApiPropertyOptional({ default: false, description: 'Parties decide one after another, in their order' })
  @Given()
  @IsBoolean()
  orderedReview?: boolean;

  @ApiPropertyOptional({
    enum: SIGNATURE_LEVELS,
    description: 'digital: signatories sign with their own key (CMS); the typed-name electronic method is refused',
  })
  @Given()
  @IsIn(SIGNATURE_LEVELS, { message: `must be one of: ${SIGNATURE_LEVELS.join(', ')}` })
  signatureLevel?: SignatureLevel;
}

/** Draft fields; `null` clears a date. The version may come here or in If-Match. */
export class UpdateMemorandumDto {
  @ApiPropertyOptional()
  @Given()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  title?: string;

  @ApiPropertyOptional()
  @Given()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20_000)
  purpose?: string;

  @ApiPropertyOptional()
  @Given()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500_000)
  body?: string;

  @ApiPropertyOptional({ enum: MEMORANDUM_LANGUAGES })
  @Given()
  @IsIn(MEMORANDUM_LANGUAGES, oneOf(MEMORANDUM_LANGUAGES))
  language?: MemorandumLanguage;

  @ApiPropertyOptional()
  @Given()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({ type: 'string', format: 'date', nullable: true })
  @IsOptional()
  @IsDateField()
  effectiveDate?: string | null;

  @ApiPropertyOptional({ type: 'string', format: 'date', nullable: true })
  @IsOptional()
  @IsDateField()
  endDate?: string | null;

  @ApiPropertyOptional()
  @Given()
  @IsBoolean()
  orderedReview?: boolean;

  @ApiPropertyOptional({
    enum: SIGNATURE_LEVELS,
    description: 'digital: signatories sign with their own key (CMS); the typed-name electronic method is refused',
  })
  @Given()
  @IsIn(SIGNATURE_LEVELS, { message: `must be one of: ${SIGNATURE_LEVELS.join(', ')}` })
  signatureLevel?: SignatureLevel;

  @ApiPropertyOptional({
    type: TranslationsDto,
    nullable: true,
    description: 'Replaces every other language version; null removes them',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TranslationsDto)
  translations?: TranslationsDto | null;

  @ApiPropertyOptional({
    enum: MEMORANDUM_LANGUAGES,
    isArray: true,
    description:
      'Translations the coordinator checked against the original: no longer marked as possibly out of date (`staleTranslations`)',
  })
  @Given()
  @IsArray()
  @ArrayMaxSize(MEMORANDUM_LANGUAGES.length)
  @ArrayUnique()
  @IsIn(MEMORANDUM_LANGUAGES, { each: true, message: `must be a list of: ${MEMORANDUM_LANGUAGES.join(', ')}` })
  translationsChecked?: MemorandumLanguage[];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The version read; or send If-Match' })
  @Given()
  @IsInt()
  @Min(1)
  @Max(2 ** 31 - 1)
  version?: number;
}

export class ListMemorandaQuery extends PageQuery {
  @ApiPropertyOptional({ enum: MEMORANDUM_STATUSES })
  @IsOptional()
  @IsIn(MEMORANDUM_STATUSES, oneOf(MEMORANDUM_STATUSES))
  status?: MemorandumStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Coordinating or party organisation' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  organisationId?: string;

  @ApiPropertyOptional({ description: 'Search in the title and purpose' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class AddPartyDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  organisationId: string;

  @ApiProperty({ enum: PARTY_ROLES })
  @IsIn(PARTY_ROLES, oneOf(PARTY_ROLES))
  role: PartyRole;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000 })
  @Given()
  @IsInt()
  @Min(1)
  @Max(1000)
  order?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 20, default: 1 })
  @Given()
  @IsInt()
  @Min(1)
  @Max(20)
  requiredSignatures?: number;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @Given()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each value must be a UUID' })
  signatoryUserIds?: string[];
}

export class ApprovalDto {
  @ApiProperty({ enum: DECISIONS })
  @IsIn(DECISIONS, oneOf(DECISIONS))
  decision: Decision;

  @ApiProperty({ description: 'SHA-256 of the revision decided on' })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 in lower-case hex' })
  revisionHash: string;

  @ApiPropertyOptional()
  @Given()
  @IsString()
  @MaxLength(20_000)
  comment?: string;
}

export class CeremonyDto {
  @ApiProperty({ example: '2021-09-28T11:00:00+06:00' })
  @IsDateTimeField()
  date: string;

  @ApiProperty()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  place: string;
}

export class OpenSigningDto {
  @ApiProperty({ enum: SIGNING_MODES })
  @IsIn(SIGNING_MODES, oneOf(SIGNING_MODES))
  mode: SigningMode;

  @ApiPropertyOptional({ type: CeremonyDto })
  @Given()
  @IsObject()
  @ValidateNested()
  @Type(() => CeremonyDto)
  ceremony?: CeremonyDto;
}

export class ReasonDto {
  @ApiProperty()
  @Given()
  @IsString()
  @MaxLength(5000)
  reason?: string;
}

export class TerminateDto extends ReasonDto {
  @ApiPropertyOptional({ format: 'date' })
  @Given()
  @IsDateField()
  effectiveDate?: string;
}

export class RenewDto {
  @ApiProperty({ format: 'date' })
  @IsDateField()
  endDate: string;
}

export class AmendmentDto {
  @ApiPropertyOptional({ description: 'Why the memorandum is amended' })
  @Given()
  @IsString()
  @MaxLength(5000)
  reason?: string;
}
