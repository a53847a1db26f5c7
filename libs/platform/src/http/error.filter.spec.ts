import { ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ApiError } from './api-error';
import { ErrorFilter } from './error.filter';

function render(exception: unknown) {
  const sent: { status?: number; body?: Record<string, unknown>; headers: Record<string, string> } = { headers: {} };
  const res = {
    headersSent: false,
    setHeader(name: string, value: string) {
      sent.headers[name] = value;
    },
    status(s: number) {
      sent.status = s;
      return this;
    },
    json(b: Record<string, unknown>) {
      sent.body = b;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ method: 'GET', path: '/' }) }),
  } as unknown as ArgumentsHost;
  new ErrorFilter().catch(exception, host);
  return sent;
}

describe('ErrorFilter and PostgreSQL data errors', () => {
  it.each(['22003', '22008', '22007', '22021', '22P05', '22P02'])(
    'class 22 (%s) → 400 invalid_value, never 500',
    (code) => {
      const err = new QueryFailedError('SELECT 1', [], Object.assign(new Error('data exception'), { code }));
      expect(render(err)).toMatchObject({ status: 400, body: { statusCode: 400, code: 'invalid_value' } });
    },
  );

  it('22001 keeps its own code', () => {
    const err = new QueryFailedError('SELECT 1', [], Object.assign(new Error('too long'), { code: '22001' }));
    expect(render(err)).toMatchObject({ status: 400, body: { code: 'value_too_long' } });
  });
});

describe('ErrorFilter and Retry-After', () => {
  it.each([429, 503])('%d with retryAfterSeconds in its details → the Retry-After header', (status) => {
    const err = new ApiError(status, 'busy', 'Busy', { retryAfterSeconds: 1.5 });
    expect(render(err)).toMatchObject({ status, headers: { 'Retry-After': '2' } });
  });
});
