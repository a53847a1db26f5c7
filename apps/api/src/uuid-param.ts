import { ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ApiError } from '@kelisim/platform';

/** Validates a path id as a UUID and names the parameter in the 400 answer. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => ApiError.validation([{ field: name, message: 'must be a UUID' }]),
  });
}

/** Documents a path parameter as a UUID (reflection sees only `string`). */
export const ApiUuidParam = (name = 'id', description?: string) =>
  ApiParam({ name, schema: { type: 'string', format: 'uuid' }, ...(description ? { description } : {}) });
