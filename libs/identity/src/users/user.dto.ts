import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Given, PageQuery } from '@kelisim/platform';
import { IsKzId } from '../kz-id';
import { Language, LANGUAGES, Role, ROLES } from '../vocabulary';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateUserDto {
  @ApiProperty({ example: 'Парида Иманжановна Мамедова' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fullName: string;

  @ApiProperty({ example: 'p.mamedova@kelisim.example.kz' })
  @Transform(trim)
  @IsEmail({}, { message: 'must be a valid e-mail address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString()
  @MinLength(10, { message: 'must be at least 10 characters long' })
  @MaxLength(200)
  password: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  organisationId: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsIn(ROLES, { each: true, message: `each value must be one of: ${ROLES.join(', ')}` })
  roles: Role[];

  @ApiProperty({ enum: LANGUAGES })
  @IsIn(LANGUAGES, { message: `must be one of: ${LANGUAGES.join(', ')}` })
  language: Language;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    example: 'Asia/Almaty',
    description: "IANA time zone for quiet hours of e-mail; null: the memorandum's",
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    example: '850101300015',
    description:
      "Individual identification number (ИИН), 12 digits with a valid control digit; null clears it. A digital signature's certificate must carry the same IIN",
  })
  @IsOptional()
  @IsKzId('IIN')
  iin?: string | null;
}

/** Every field optional but not null, except `timeZone` (null: the memorandum's zone). */
export class UpdateUserDto {
  @ApiPropertyOptional()
  @Given()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fullName?: string;

  @ApiPropertyOptional()
  @Given()
  @Transform(trim)
  @IsEmail({}, { message: 'must be a valid e-mail address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ minLength: 10, maxLength: 200 })
  @Given()
  @IsString()
  @MinLength(10, { message: 'must be at least 10 characters long' })
  @MaxLength(200)
  password?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Moves the user to another organisation; their sessions and tokens stop working',
  })
  @Given()
  @IsUUID('all', { message: 'must be a UUID' })
  organisationId?: string;

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @Given()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsIn(ROLES, { each: true, message: `each value must be one of: ${ROLES.join(', ')}` })
  roles?: Role[];

  @ApiPropertyOptional({ enum: LANGUAGES })
  @Given()
  @IsIn(LANGUAGES, { message: `must be one of: ${LANGUAGES.join(', ')}` })
  language?: Language;

  @ApiPropertyOptional({ type: 'string', nullable: true, example: 'Asia/Almaty' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    example: '850101300015',
    description:
      "Individual identification number (ИИН), 12 digits with a valid control digit; null clears it. A digital signature's certificate must carry the same IIN",
  })
  @IsOptional()
  @IsKzId('IIN')
  iin?: string | null;

  @ApiPropertyOptional({ description: 'false deactivates the user and revokes their tokens' })
  @Given()
  @IsBoolean()
  active?: boolean;
}

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  organisationId?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: `must be one of: ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  active?: 'true' | 'false';
}

/** What a user may change of themselves (PATCH /me): name, language, time zone. */
export class UpdateMeDto {
  @ApiPropertyOptional()
  @Given()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  fullName?: string;

  @ApiPropertyOptional({ enum: LANGUAGES })
  @Given()
  @IsIn(LANGUAGES, { message: `must be one of: ${LANGUAGES.join(', ')}` })
  language?: Language;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Asia/Almaty',
    description: "IANA time zone; null: the memorandum's",
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string | null;
}

/** POST /me/password: the user's own change, with the current password. */
export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  currentPassword: string;

  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString()
  @MinLength(10, { message: 'must be at least 10 characters long' })
  @MaxLength(200)
  newPassword: string;
}
