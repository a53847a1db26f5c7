/** Request bodies of /templates and /memoranda/from-template. */
import { ApiProperty, ApiPropertyOptional, ApiSchema, OmitType, PartialType } from '@nestjs/swagger';
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
import { Given, PageQuery } from '@kelisim/platform';
import {
  AddPartyDto,
  MEMORANDUM_LANGUAGES,
  SIGNATURE_LEVELS,
  SignatureLevel,
  TranslationTextsDto,
} from '@kelisim/memoranda';
import { PutReminderPoliciesDto } from '@kelisim/reminders';
import { PLACEHOLDER_KINDS, PLACEHOLDER_NAME } from './placeholders';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const oneOf = (values: readonly string[]) => ({ message: `must be one of: ${values.join(', ')}` });
/** A date, or a placeholder standing for one (`{{signingDate}}`). */
const DATE_OR_PLACEHOLDER = /^(\d{4}-\d{2}-\d{2}|\{\{\s*[A-Za-z][A-Za-z0-9_]{0,63}\s*\}\})$/;

@ApiSchema({ name: 'TemplatePlaceholder' })
export class PlaceholderDto {
  @ApiProperty({ example: 'signingDate' })
  @IsString()
  @Matches(PLACEHOLDER_NAME, { message: 'must be a name of letters, digits and _ (starting with a letter)' })
  name: string;

  @ApiProperty({ enum: PLACEHOLDER_KINDS })
  @IsIn(PLACEHOLDER_KINDS, oneOf(PLACEHOLDER_KINDS))
  kind: (typeof PLACEHOLDER_KINDS)[number];

  @ApiPropertyOptional()
  @Given()
  @IsString()
  @MaxLength(200)
  label?: string;

  @ApiPropertyOptional({ default: true })
  @Given()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({ description: 'Used when no value is given' })
  @Given()
  @IsString()
  @MaxLength(1000)
  default?: string;
}

@ApiSchema({ name: 'TemplateDefaults' })
export class TemplateDefaultsDto {
  @ApiPropertyOptional({ example: 'Asia/Almaty' })
  @Given()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({ description: 'A date, or a date placeholder such as {{signingDate}}' })
  @Given()
  @IsString()
  @Matches(DATE_OR_PLACEHOLDER, { message: 'must be a date YYYY-MM-DD or a placeholder {{name}}' })
  effectiveDate?: string;

  @ApiPropertyOptional({ description: 'A date, or a date placeholder such as {{endDate}}' })
  @Given()
  @IsString()
  @Matches(DATE_OR_PLACEHOLDER, { message: 'must be a date YYYY-MM-DD or a placeholder {{name}}' })
  endDate?: string;

  @ApiPropertyOptional()
  @Given()
  @IsBoolean()
  orderedReview?: boolean;

  @ApiPropertyOptional({
    enum: SIGNATURE_LEVELS,
    description: 'digital: memoranda made from it require digital signatures (docs/signatures.md)',
  })
  @Given()
  @IsIn(SIGNATURE_LEVELS, { message: `must be one of: ${SIGNATURE_LEVELS.join(', ')}` })
  signatureLevel?: SignatureLevel;

  @ApiPropertyOptional({ description: 'Every language version equally authentic' })
  @Given()
  @IsBoolean()
  equallyAuthentic?: boolean;

  @ApiPropertyOptional({ type: PutReminderPoliciesDto, description: 'Applied to a memorandum made from it' })
  @Given()
  @IsObject()
  @ValidateNested()
  @Type(() => PutReminderPoliciesDto)
  reminderPolicies?: PutReminderPoliciesDto;
}

@ApiSchema({ name: 'CommitmentBlueprint' })
export class CommitmentBlueprintDto {
  @ApiProperty({ example: 'quarterly-event' })
  @IsString()
  @Matches(PLACEHOLDER_NAME, { message: 'must be a key of letters, digits and _ (starting with a letter)' })
  key: string;

  @ApiProperty({ description: 'May use placeholders' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  title: string;

  @ApiPropertyOptional()
  @Given()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ example: '2.1' })
  @Given()
  @IsString()
  @MaxLength(50)
  clauseRef?: string;

  @ApiPropertyOptional({ example: 'FREQ=MONTHLY;INTERVAL=3', description: 'RFC 5545 recurrence rule' })
  @Given()
  @IsString()
  @MaxLength(500)
  @Matches(/^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[A-Z0-9,+-]+)*$/, {
    message: 'must be an RFC 5545 RRULE such as FREQ=MONTHLY;INTERVAL=3',
  })
  rrule?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 120,
    description: 'Due this many months after the effective date',
  })
  @Given()
  @IsInt()
  @Min(1)
  @Max(120)
  dueAfterMonths?: number;
}

export class CreateTemplateDto {
  @ApiProperty()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: MEMORANDUM_LANGUAGES, description: 'The original language; a key of texts' })
  @IsIn(MEMORANDUM_LANGUAGES, oneOf(MEMORANDUM_LANGUAGES))
  language: string;

  @ApiProperty({
    type: TranslationTextsDto,
    description: 'Title, purpose and body per language, with {{placeholders}}',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => TranslationTextsDto)
  texts: TranslationTextsDto;

  @ApiPropertyOptional({ type: [PlaceholderDto] })
  @Given()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PlaceholderDto)
  placeholders?: PlaceholderDto[];

  @ApiPropertyOptional({ type: TemplateDefaultsDto })
  @Given()
  @IsObject()
  @ValidateNested()
  @Type(() => TemplateDefaultsDto)
  defaults?: TemplateDefaultsDto;

  @ApiPropertyOptional({ type: [CommitmentBlueprintDto] })
  @Given()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CommitmentBlueprintDto)
  commitmentBlueprints?: CommitmentBlueprintDto[];

  @ApiPropertyOptional({ default: false, description: 'Visible to every organisation' })
  @Given()
  @IsBoolean()
  shared?: boolean;
}

/**
 * A new version: the fields sent replace the previous version's, the rest are kept. The create DTO's fields, each
 * optional but not null (PartialType would add @IsOptional(), which lets null through as if absent); `shared` is
 * declared again because its create default (false) would read as "unshare" here.
 */
export class UpdateTemplateDto extends PartialType(OmitType(CreateTemplateDto, ['shared'] as const), {
  skipNullProperties: false,
}) {
  @ApiPropertyOptional({ description: 'Visible to every organisation; absent: as before' })
  @Given()
  @IsBoolean()
  shared?: boolean;
}

@ApiSchema({ name: 'BlueprintLead' })
export class BlueprintLeadDto {
  @ApiProperty({ example: 'joint_event', description: 'The key of a commitment blueprint of the template' })
  @IsString()
  @MaxLength(64)
  key: string;

  @ApiProperty({ format: 'uuid', description: 'A party of the memorandum' })
  @IsUUID('all', { message: 'must be a UUID' })
  leadOrganisationId: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Other responsible parties' })
  @Given()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each value must be a UUID' })
  organisationIds?: string[];
}

export class FromTemplateDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  templateId: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Default: the current version' })
  @Given()
  @IsInt()
  @Min(1)
  @Max(2 ** 31 - 1)
  version?: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string', maxLength: 1000 }, { type: 'number' }] },
    example: { signingDate: '2021-09-28', place: 'Тараз' },
  })
  @IsObject()
  values: Record<string, string | number>;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  coordinatingOrganisationId: string;

  @ApiPropertyOptional({
    type: [AddPartyDto],
    description:
      'The parties, added in order as POST /memoranda/{id}/parties adds them. With parties (or blueprintLeads), ' +
      "the template's commitment blueprints become the draft's text commitments; without, none are made.",
  })
  @Given()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AddPartyDto)
  parties?: AddPartyDto[];

  @ApiPropertyOptional({
    type: [BlueprintLeadDto],
    description: 'The lead party of a blueprint; a blueprint not named here is led by the coordinating organisation',
  })
  @Given()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BlueprintLeadDto)
  blueprintLeads?: BlueprintLeadDto[];
}

export class TemplateVersionQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Default: the current version' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2 ** 31 - 1)
  version?: number;
}

export class ListTemplatesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Search in the name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}
