import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateTimeField } from '@kelisim/platform';
import { Transform, Type } from 'class-transformer';
import {
  Equals,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';

/** A CMS with a signer certificate and a chain of a few CAs is a few kilobytes; 64 KiB leaves room for long chains. */
const MAX_CMS_BASE64 = 87_384;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const oneOf = (values: readonly string[]) => ({ message: `must be one of: ${values.join(', ')}` });

export class EvidenceDto {
  @ApiProperty()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reference: string;

  @ApiProperty()
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 in lower-case hex' })
  sha256: string;
}

type SigningMethod = 'electronic' | 'in_person' | 'digital';
const SIGNING_METHODS: readonly SigningMethod[] = ['electronic', 'in_person', 'digital'];

/**
 * A field of one signing method: required when the body's `method` is that one, refused when it is
 * the other (an unknown method is refused by `method`'s own check). Replaces `@IsOptional()`, so the
 * field's other checks run whenever it is sent or required.
 */
function SignatureField(method: SigningMethod): PropertyDecorator {
  const onlyFor = ValidateIf((o: { method?: unknown }, v: unknown) => v !== undefined || o.method === method);
  return (target: object, propertyName: string | symbol) => {
    onlyFor(target, propertyName);
    registerDecorator({
      name: 'signatureField',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const given = (args.object as { method?: unknown }).method;
          if (!SIGNING_METHODS.includes(given as SigningMethod)) return true;
          return given === method ? value !== undefined && value !== null : value === undefined;
        },
        defaultMessage(args: ValidationArguments) {
          const given = (args.object as { method?: unknown }).method;
          return given === method ? `is required for method ${given}` : `is not allowed for method ${given}`;
        },
      },
    });
  };
}

/**
 * One body for every method: the method decides which fields are required and which refused
 * (SignatureField); unknown fields are refused by the global pipe.
 */
export class SignatureDto {
  @ApiProperty({ enum: SIGNING_METHODS })
  @IsIn(SIGNING_METHODS, oneOf(SIGNING_METHODS))
  method: SigningMethod;

  @ApiProperty()
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 in lower-case hex' })
  revisionHash: string;

  @ApiPropertyOptional({ description: "electronic: the signer's full name, typed" })
  @SignatureField('electronic')
  @IsString()
  @MaxLength(200)
  typedName?: string;

  @ApiPropertyOptional({ description: 'electronic: must be true' })
  @SignatureField('electronic')
  @Equals(true, { message: 'must be true' })
  consent?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'in_person: the party that signed' })
  @SignatureField('in_person')
  @IsUUID('all', { message: 'must be a UUID' })
  organisationId?: string;

  @ApiPropertyOptional()
  @SignatureField('in_person')
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  signerName?: string;

  @ApiPropertyOptional()
  @SignatureField('in_person')
  @IsDateTimeField()
  signedAt?: string;

  @ApiPropertyOptional()
  @SignatureField('in_person')
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  place?: string;

  @ApiPropertyOptional({
    description:
      'digital: base64 of a DER CMS SignedData (CAdES-BES), detached over the bytes of GET /memoranda/{id}/revisions/{number}/canonical, SHA-256, with the signer certificate and its chain',
  })
  @SignatureField('digital')
  @IsString()
  @MaxLength(MAX_CMS_BASE64)
  @Matches(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'must be base64' })
  cms?: string;

  @ApiPropertyOptional({ type: EvidenceDto })
  @SignatureField('in_person')
  @IsObject()
  @ValidateNested()
  @Type(() => EvidenceDto)
  evidence?: EvidenceDto;
}
