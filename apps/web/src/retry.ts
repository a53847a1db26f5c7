/** When react-query asks again after a failed query. */
import { ApiFailure } from './api/client';

/**
 * A refusal (4xx: not found, forbidden, invalid) is the answer and is not asked again; a network
 * failure or a server error (5xx) is tried again, twice at most.
 */
export const retryQuery = (failures: number, error: unknown): boolean =>
  failures < 2 && !(error instanceof ApiFailure && error.status < 500);
