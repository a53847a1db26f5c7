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

type SigningMethod = 'electronic' | 'in_person';
const SIGNING_METHODS: readonly SigningMethod[] = ['electronic', 'in_person'];

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
 * One body for both methods: the method decides which fields are required and which refused
 * (SignatureField); unknown fields are refused by the global pipe.
 */
export class SignatureDto {
  @ApiProperty({ enum: ['electronic', 'in_person'] })
  @IsIn(['electronic', 'in_person'], oneOf(['electronic', 'in_person']))
  method: 'electronic' | 'in_person';

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

  @ApiPropertyOptional({ type: EvidenceDto })
  @SignatureField('in_person')
  @IsObject()
  @ValidateNested()
  @Type(() => EvidenceDto)
  evidence?: EvidenceDto;
}
