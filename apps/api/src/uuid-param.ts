import { ParseUUIDPipe } from '@nestjs/common';
import { ApiError } from '@kelisim/platform';

/** Validates a path id as a UUID and names the parameter in the 400 answer. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => ApiError.validation([{ field: name, message: 'must be a UUID' }]),
  });
}
