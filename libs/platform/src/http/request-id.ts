import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** X-Request-Id when the client sent a usable one, else a new UUID. */
export function requestIdOf(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The first middleware: every request has its id before anything can fail (a malformed body is
 * refused before Nest's middleware, pino-http included, runs); the id is echoed back.
 */
export function assignRequestId(req: Request & { id?: string }, res: Response, next: NextFunction): void {
  req.id = requestIdOf(req);
  res.setHeader('X-Request-Id', req.id);
  next();
}
