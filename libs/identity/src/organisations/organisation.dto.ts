import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Given, PageQuery, trimText } from '@kelisim/platform';
import { IsKzId } from '../kz-id';
import { Language, LANGUAGES, ORGANISATION_KINDS, OrganisationKind } from '../vocabulary';

export class CreateOrganisationDto {
  @ApiProperty({ example: '«Қоғамдық келісім» КММ' })
  @Transform(trimText)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name: string;

  @ApiProperty({ example: 'Қоғамдық келісім' })
  @Transform(trimText)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  shortName: string;

  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS, { message: `must be one of: ${ORGANISATION_KINDS.join(', ')}` })
  kind: OrganisationKind;

  @ApiPropertyOptional({ description: 'Business identification number (БИН), 12 digits with a valid control digit' })
  @Given()
  @IsKzId('BIN')
  bin?: string;

  @ApiPropertyOptional()
  @Given()
  @IsEmail({}, { message: 'must be a valid e-mail address' })
  @MaxLength(254)
  email?: string;

  @ApiProperty({ enum: LANGUAGES })
  @IsIn(LANGUAGES, { message: `must be one of: ${LANGUAGES.join(', ')}` })
  language: Language;

  @ApiPropertyOptional({
    description: "An organisation of the installation itself (the operator's): never offered as a party",
  })
  @Given()
  @IsBoolean()
  system?: boolean;
}

/** Every field optional but not null, except `bin` and `email`, which `null` clears. */
export class UpdateOrganisationDto {
  @ApiPropertyOptional()
  @Given()
  @Transform(trimText)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name?: string;

  @ApiPropertyOptional()
  @Given()
  @Transform(trimText)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  shortName?: string;

  @ApiPropertyOptional({ enum: ORGANISATION_KINDS })
  @Given()
  @IsIn(ORGANISATION_KINDS, { message: `must be one of: ${ORGANISATION_KINDS.join(', ')}` })
  kind?: OrganisationKind;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    description: 'Business identification number (БИН), 12 digits; null clears it',
  })
  @IsOptional()
  @IsKzId('BIN')
  bin?: string | null;

  @ApiPropertyOptional({ type: 'string', nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'must be a valid e-mail address' })
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ enum: LANGUAGES })
  @Given()
  @IsIn(LANGUAGES, { message: `must be one of: ${LANGUAGES.join(', ')}` })
  language?: Language;

  @ApiPropertyOptional({ description: "false deactivates the organisation and revokes its users' tokens" })
  @Given()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    description: "An organisation of the installation itself (the operator's): never offered as a party",
  })
  @Given()
  @IsBoolean()
  system?: boolean;
}

export class ListOrganisationsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Search in name and short name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ORGANISATION_KINDS })
  @IsOptional()
  @IsIn(ORGANISATION_KINDS, { message: `must be one of: ${ORGANISATION_KINDS.join(', ')}` })
  kind?: OrganisationKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  active?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'false: only the organisations that may be parties (not system ones)' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  system?: 'true' | 'false';
}
