import { ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ErrorFilter } from './error.filter';

function render(exception: unknown) {
  const sent: { status?: number; body?: Record<string, unknown> } = {};
  const res = {
    headersSent: false,
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
