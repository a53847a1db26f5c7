import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ErrorBodySchema } from './error-body.schema';

/** What each error status means in this API; the description of its declared ErrorBody answer. */
export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: `errors[]` names each field (also malformed JSON, unknown fields or query parameters)',
  401: 'Missing, invalid or expired bearer token',
  403: 'The caller lacks the role, or acts for another organisation',
  404: 'No such resource, or not visible to the caller',
  405: 'The path exists but not with this method',
  409: 'Conflict with the current state: `details` holds the state and the allowed actions',
  412: 'If-Match does not match the current ETag (the resource changed since it was read)',
  413: 'Request body larger than the limit',
  415: 'Request body is not JSON',
  422: 'Well-formed but refused by a rule: `errors[]` or `details` say which',
  428: 'If-Match (or `version` in the body) is required',
  429: 'Too many requests: retry after the number of seconds in Retry-After',
  500: 'Unexpected error; the request id identifies it in the logs',
  502: 'An external service (a time-stamping authority) answered with something that does not hold',
  503: 'A dependency (database, queue) does not answer',
};

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } },
};

/** Declares ErrorBody answers for the given statuses (429 with its Retry-After header). */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        type: ErrorBodySchema,
        ...(status === 429 ? { headers: RETRY_AFTER } : {}),
      }),
    ),
  );
}

/**
 * The errors any operation may answer, and the X-Request-Id header every request may send. Put it
 * on a controller class; add `@ApiErrorResponses(409, …)` on operations that refuse for more reasons.
 * `public` routes omit 401 and 403.
 */
export function ApiStandardErrors(options: { public?: boolean } = {}): MethodDecorator & ClassDecorator {
  const statuses = options.public ? [400, 404, 429, 500] : [400, 401, 403, 404, 429, 500];
  return applyDecorators(
    ApiHeader({
      name: 'X-Request-Id',
      required: false,
      description: 'Correlates logs and the error body; echoed back (one is made up when absent or invalid)',
      schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
    }),
    ApiErrorResponses(...statuses),
  );
}
