import { ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Strict input: unknown fields are refused, not silently dropped; types are converted explicitly. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
