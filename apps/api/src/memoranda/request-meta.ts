import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { RequestMeta } from '@kelisim/memoranda';

/** The request id (pino-http), client IP and user agent, for history events and electronic signatures. */
export const Meta = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestMeta => {
  const req = ctx.switchToHttp().getRequest<Request & { id?: string | number }>();
  const ua = req.headers['user-agent'];
  return {
    requestId: req.id !== undefined ? String(req.id) : null,
    ip: req.ip ?? req.socket?.remoteAddress ?? null,
    userAgent: typeof ua === 'string' ? ua : null,
  };
});
