import { ApiFailure } from './api/client';
import { retryQuery } from './retry';

const failure = (status: number) => new ApiFailure(status, { statusCode: status, code: 'x', message: 'x' });

describe('retryQuery', () => {
  it('never asks again after a 4xx answer', () => {
    for (const status of [400, 401, 403, 404, 409, 422, 429])
      expect([status, retryQuery(0, failure(status))]).toEqual([status, false]);
  });

  it('asks again after a network failure or a 5xx, twice at most', () => {
    for (const error of [new TypeError('Failed to fetch'), failure(500), failure(503)]) {
      expect([retryQuery(0, error), retryQuery(1, error), retryQuery(2, error)]).toEqual([true, true, false]);
    }
  });
});
