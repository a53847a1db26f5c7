import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { ApiError } from './api-error';

const CONSUMES = 'swagger/apiConsumes';

/**
 * Three refusals every route shares, after authentication: a body in another media type than the
 * route consumes (JSON unless `@ApiConsumes` says otherwise) is 415; a route that takes no body
 * (no `@Body()`) accepts none or an empty JSON object `{}` and answers any field with 400, as the
 * document declares (openapi-document.ts); and query parameters the route does not declare are
 * 400 — as unknown body fields are. Routes with a `@Query()` DTO leave the check to the validation
 * pipe (whitelist); `@Query('name')` declares one name.
 */
@Injectable()
export class RequestShapeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const [controller, handler] = [context.getClass(), context.getHandler()];

    const declared: string[] | undefined =
      Reflect.getMetadata(CONSUMES, handler) ?? Reflect.getMetadata(CONSUMES, controller);
    if (hasBody(req)) {
      const consumes = declared ?? ['application/json'];
      if (!req.is(consumes)) {
        throw new ApiError(415, 'unsupported_media_type', `Send the body as ${consumes.join(' or ')}`, {
          contentType: req.headers['content-type'] ?? null,
          accepted: consumes,
        });
      }
    }

    const routeArgs = Object.entries(
      (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {}) as Record<string, { data?: unknown }>,
    );
    const kind = (key: string) => key.split(':')[0];
    // A route that reads its body itself (uploads, a PDF) declares what it consumes.
    if (hasBody(req) && !declared && !routeArgs.some(([key]) => kind(key) === String(RouteParamtypes.BODY))) {
      const body: unknown = req.body;
      const fields = body && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : null;
      if (fields === null)
        throw ApiError.validation([{ field: 'body', message: 'this operation takes no body: send none or {}' }]);
      if (fields.length)
        throw ApiError.validation(
          fields.map((field) => ({ field, message: 'is not a known field: this operation takes no body' })),
        );
    }

    const args = routeArgs.filter(([key]) => kind(key) === String(RouteParamtypes.QUERY));
    if (!args.some(([, a]) => a.data === undefined)) {
      const known = new Set(args.map(([, a]) => String(a.data)));
      const unknown = Object.keys(req.query ?? {}).filter((k) => !known.has(k));
      if (unknown.length)
        throw ApiError.validation(unknown.map((field) => ({ field, message: 'is not a known query parameter' })));
    }
    return next.handle();
  }
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
}
