import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { ApiError, ErrorBody } from './api-error';

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  428: 'precondition_required',
  429: 'too_many_requests',
};

/** Express error middleware right after the body parsers: malformed or oversized bodies. */
export function bodyParserErrors(err: unknown, req: Request, res: Response, next: NextFunction): void {
  const bp = err as { type?: string; status?: number; message?: string };
  if (!bp || typeof bp.type !== 'string' || typeof bp.status !== 'number') return next(err);
  const body: ErrorBody =
    bp.type === 'entity.parse.failed'
      ? { statusCode: 400, code: 'malformed_json', message: `Request body is not valid JSON: ${bp.message}` }
      : bp.type === 'entity.too.large'
        ? { statusCode: 413, code: 'payload_too_large', message: 'Request body is larger than the allowed limit' }
        : bp.type === 'entity.encoding.invalid'
          ? { statusCode: 400, code: 'invalid_encoding', message: bp.message ?? 'Request body is not valid UTF-8' }
          : { statusCode: bp.status, code: CODES[bp.status] ?? 'bad_request', message: bp.message ?? 'Bad request' };
  const id = (req as Request & { id?: string }).id;
  if (id) body.requestId = id;
  res.status(body.statusCode).json(body);
}

type RouteLayer = { route?: { path: string; methods: Record<string, boolean> }; match(path: string): boolean };

/** The methods of the Express routes matching the request's path (none: the path is unknown). */
function allowedMethods(req: Request): string[] {
  const router = (req.app as unknown as { router?: { stack: RouteLayer[] } }).router;
  const methods = new Set<string>();
  for (const layer of router?.stack ?? []) {
    // Wildcard routes are middleware mounted for every path (logging), not resources.
    if (!layer.route || layer.route.path.includes('*') || !layer.match(req.path)) continue;
    for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') methods.add(m.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/** Renders every error in the one shape of docs/api.md; unexpected ones are logged and hidden. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost) {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request & { id?: string }>();
    const body = this.toBody(exception, req);
    if (body.statusCode >= 500) this.logger.error({ err: exception, requestId: req.id }, 'Unhandled error');
    if (req.id) body.requestId = String(req.id);
    if (res.headersSent) return;
    const retryAfter = body.details?.retryAfterSeconds;
    // Too many requests, or a service busy for now (503): either may say when to come back.
    if ((body.statusCode === 429 || body.statusCode === 503) && typeof retryAfter === 'number')
      res.setHeader('Retry-After', String(Math.ceil(retryAfter)));
    if (body.statusCode === 405) res.setHeader('Allow', (body.details?.allow as string[]).join(', '));
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, req: Request): ErrorBody {
    if (exception instanceof ApiError) {
      return {
        statusCode: exception.getStatus(),
        code: exception.code,
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
        ...(exception.fieldErrors ? { errors: exception.fieldErrors } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : Array.isArray((response as { message?: unknown }).message)
            ? (response as { message: string[] }).message.join('; ')
            : String((response as { message?: unknown }).message ?? exception.message);
      if (status === 404 && /^Cannot [A-Z]+ /.test(message)) {
        const allow = allowedMethods(req);
        if (allow.length) {
          return {
            statusCode: 405,
            code: 'method_not_allowed',
            message: `${req.method} is not allowed on ${req.path}`,
            details: { allow },
          };
        }
        return { statusCode: 404, code: 'route_not_found', message: `No route ${req.method} ${req.path}` };
      }
      return { statusCode: status, code: CODES[status] ?? (status >= 500 ? 'internal_error' : 'error'), message };
    }
    if (exception instanceof QueryFailedError) {
      const pg = exception.driverError as { code?: string; constraint?: string; detail?: string };
      if (pg?.code === '23505')
        return {
          statusCode: 409,
          code: 'already_exists',
          message: 'A record with the same unique value already exists',
          details: { constraint: pg.constraint },
        };
      if (pg?.code === '23503')
        return {
          statusCode: 422,
          code: 'reference_not_found',
          message: 'A referenced record does not exist',
          details: { constraint: pg.constraint },
        };
      if (pg?.code === '40001' || pg?.code === '40P01')
        return {
          statusCode: 409,
          code: 'concurrent_update',
          message: 'Another request changed this record at the same time; retry',
        };
      if (pg?.code === '22001')
        return { statusCode: 400, code: 'value_too_long', message: 'A value is longer than allowed' };
      // Class 22 is PostgreSQL's "data exception" (out of range, bad date, bad encoding, …): always the input's fault.
      if (pg?.code?.startsWith('22'))
        return { statusCode: 400, code: 'invalid_value', message: 'A value is out of range or has an invalid format' };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'internal_error', message: 'Internal server error' };
  }
}
