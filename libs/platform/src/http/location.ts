import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';

const LOCATION = 'kelisim:location';

/** Where a created resource can be read, from the answer's body and the request's path parameters. */
export type LocationOf = (body: Record<string, unknown>, params: Record<string, string>) => string;

/** The `headers` of a 201 answer: `@ApiCreatedResponse({ type, headers: LOCATION_RESPONSE_HEADERS })`. */
export const LOCATION_RESPONSE_HEADERS = {
  Location: { description: 'Path of the created resource', schema: { type: 'string', example: '/memoranda/0b6f…' } },
};

@Injectable()
export class LocationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const locate = this.reflector.get<LocationOf | undefined>(LOCATION, context.getHandler());
    const http = context.switchToHttp();
    const [req, res] = [http.getRequest<Request>(), http.getResponse<Response>()];
    return next.handle().pipe(
      map((body: unknown) => {
        if (locate && res.statusCode === 201 && body && typeof body === 'object' && !res.headersSent) {
          res.setHeader('Location', locate(body as Record<string, unknown>, req.params as Record<string, string>));
        }
        return body;
      }),
    );
  }
}

/** A 201 answer names the created resource in `Location`: `@SetsLocation((b) => \`/memoranda/${b.id}\`)`. */
export const SetsLocation = (locate: LocationOf) =>
  applyDecorators(SetMetadata(LOCATION, locate), UseInterceptors(LocationInterceptor));
