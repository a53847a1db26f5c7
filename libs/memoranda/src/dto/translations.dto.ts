/**
 * Language versions of a revision's text (request and answer): the memorandum's `language` is
 * the original; `texts` holds the same title, purpose and body in the other languages, or all
 * versions are equally authentic. Every version is covered by the revision hash.
 */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ApiBool, ApiError, FieldError, Given } from '@kelisim/platform';
import type { RevisionTranslations } from '../revisions/canonical';
import { MEMORANDUM_LANGUAGES } from '../vocabulary';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@ApiSchema({ name: 'RevisionText' })
export class RevisionTextDto {
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
}

@ApiSchema({ name: 'TranslationTexts' })
export class TranslationTextsDto {
  @ApiPropertyOptional({ type: RevisionTextDto, description: 'Kazakh' })
  @Given()
  @IsObject()
  @ValidateNested()
  @Type(() => RevisionTextDto)
  kk?: RevisionTextDto;

  @ApiPropertyOptional({ type: RevisionTextDto, description: 'Russian' })
  @Given()
  @IsObject()
  @ValidateNested()
  @Type(() => RevisionTextDto)
  ru?: RevisionTextDto;

  @ApiPropertyOptional({ type: RevisionTextDto, description: 'English' })
  @Given()
  @IsObject()
  @ValidateNested()
  @Type(() => RevisionTextDto)
  en?: RevisionTextDto;
}

@ApiSchema({ name: 'Translations' })
export class TranslationsDto {
  @ApiPropertyOptional({
    default: false,
    description: 'true: every language version is equally authentic; false: `language` is the original',
  })
  @Given()
  @IsBoolean()
  equallyAuthentic?: boolean;

  @ApiProperty({ type: TranslationTextsDto, description: 'The text in languages other than `language`' })
  @IsObject()
  @ValidateNested()
  @Type(() => TranslationTextsDto)
  texts: TranslationTextsDto;
}

/** The stored form (null when there is no other language); 422 when a translation repeats the original's language. */
export function toTranslations(
  dto: TranslationsDto | null | undefined,
  language: string,
  field = 'translations',
): RevisionTranslations | null {
  if (!dto) return null;
  const errors: FieldError[] = [];
  const texts: RevisionTranslations['texts'] = {};
  for (const l of MEMORANDUM_LANGUAGES) {
    const t = dto.texts?.[l];
    if (!t) continue;
    if (l === language) errors.push({ field: `${field}.texts.${l}`, message: `is the original's language (${l})` });
    texts[l] = { title: t.title, purpose: t.purpose, body: t.body };
  }
  if (errors.length) throw ApiError.unprocessable('invalid_translations', errors[0].message, errors);
  if (!Object.keys(texts).length) return null;
  return { equallyAuthentic: dto.equallyAuthentic === true, texts };
}

@ApiSchema({ name: 'RevisionTranslations' })
export class TranslationsResponse {
  @ApiBool({ description: 'true: every language version is equally authentic' }) equallyAuthentic: boolean;
  @ApiProperty({ type: TranslationTextsDto }) texts: TranslationTextsDto;
}

export class DiffQuery {
  @ApiPropertyOptional({ enum: MEMORANDUM_LANGUAGES, description: 'Compare only the text in this language' })
  @IsOptional()
  @IsIn(MEMORANDUM_LANGUAGES, { message: `must be one of: ${MEMORANDUM_LANGUAGES.join(', ')}` })
  language?: string;
}
