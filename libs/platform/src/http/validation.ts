import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { ApiError, FieldError } from './api-error';

/** Flattens class-validator's tree into `{ field: "parties[0].role", message }` pairs. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    for (const [rule, message] of Object.entries(error.constraints ?? {})) {
      out.push({
        field,
        message:
          rule === 'whitelistValidation'
            ? 'is not a known field'
            : message.startsWith(error.property + ' ')
              ? message.slice(error.property.length + 1)
              : message,
      });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/**
 * A body whose DTO is a class must be a JSON object: Nest's pipe validates an array against the class's rules as if
 * it were one, so a list passed every DTO whose fields are all optional (and reached the service).
 */
class ObjectBodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype;
    if (metadata.type === 'body' && Array.isArray(value) && dto && dto !== Array && dto !== Object)
      throw ApiError.validation([{ field: 'body', message: 'must be a JSON object, not a list' }]);
    return super.transform(value, metadata);
  }
}

/** Strict input: unknown fields are refused, not silently dropped; types are converted explicitly. */
export function createValidationPipe(): ValidationPipe {
  return new ObjectBodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => ApiError.validation(flattenValidationErrors(errors)),
  });
}

/**
 * Optional, but not null: a field that is sent must be valid. `@IsOptional()` also lets `null`
 * through, which a PATCH would write into a NOT NULL column (a 500).
 */
export const Given = () => ValidateIf((_o: unknown, v: unknown) => v !== undefined);
