import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';

/**
 * Property decorators for response schemas, where reflection loses the type (nullable unions,
 * Date serialised as text, integers): `@ApiDateTime({ nullable: true }) sentAt: Date | null`.
 */
type Extra = Omit<ApiPropertyOptions, 'type' | 'format'> & { nullable?: boolean };

const field =
  (base: ApiPropertyOptions) =>
  (extra: Extra = {}) =>
    ApiProperty({ ...base, ...extra } as ApiPropertyOptions);

export const ApiUuid = field({ type: 'string', format: 'uuid' });
export const ApiDateTime = field({ type: 'string', format: 'date-time' });
/** A calendar date `YYYY-MM-DD`. */
export const ApiDate = field({ type: 'string', format: 'date' });
export const ApiInt = field({ type: 'integer' });
export const ApiText = field({ type: 'string' });
export const ApiBool = field({ type: 'boolean' });
/** A SHA-256 in lower-case hex. */
export const ApiSha256 = field({ type: 'string', pattern: '^[0-9a-f]{64}$' });
/** A JSON object whose keys are not fixed. */
export const ApiFreeObject = field({ type: 'object', additionalProperties: true });
