import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  HttpException,
  Injectable,
  Logger,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, Observable, of, throwError } from 'rxjs';
import { ApiError } from '../http/api-error';
import { IdempotencyService } from './idempotency.service';
import { IDEMPOTENCY_KEY_PATTERN, requestHash } from './request-hash';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

const SECRET_ANSWER = 'kelisim:secret-answer';
/** Marks the operation in the OpenAPI document, which then declares no Idempotency-Key header for it. */
export const NO_IDEMPOTENCY_EXTENSION = 'x-no-idempotency-key';
/**
 * For POSTs whose answer carries a secret shown once (a login token, a new personal token): the
 * answer must not be stored in plain text for replays, so Idempotency-Key is refused there.
 */
export const AnswerCarriesSecret = () =>
  applyDecorators(SetMetadata(SECRET_ANSWER, true), ApiExtension(NO_IDEMPOTENCY_EXTENSION, true));
/** Whether a route handler is marked with @AnswerCarriesSecret (for tests that walk the routes). */
export const answerCarriesSecret = (handler: object): boolean => Reflect.getMetadata(SECRET_ANSWER, handler) === true;

/**
 * Honours `Idempotency-Key` on every POST (api.md): the first request runs and its answer (2xx or
 * 4xx) is stored for 24 h; a repeat with the same body gets that answer again with
 * `Idempotent-Replayed: true` and changes nothing. Server errors release the key so a retry runs.
 * Runs after the access guard, so keys are scoped per authenticated user.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { actor?: { userId: string } }>();
    if (req.method !== 'POST') return next.handle();
    const header = req.headers[IDEMPOTENCY_HEADER.toLowerCase()];
    if (header === undefined) return next.handle();
    if (this.reflector.getAllAndOverride<boolean>(SECRET_ANSWER, [context.getHandler(), context.getClass()])) {
      throw ApiError.badRequest(
        'idempotency_not_supported',
        'Idempotency-Key is not accepted here: the answer carries a secret that is never stored',
        { header: IDEMPOTENCY_HEADER },
      );
    }
    if (typeof header !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(header)) {
      throw new ApiError(
        400,
        'invalid_idempotency_key',
        'Idempotency-Key header must be 1–200 characters of A–Z, a–z, 0–9, "_", ".", ":" or "-"',
        { header: IDEMPOTENCY_HEADER },
        [{ field: IDEMPOTENCY_HEADER, message: 'must be 1–200 characters of A–Z, a–z, 0–9, "_", ".", ":" or "-"' }],
      );
    }
    const res = context.switchToHttp().getResponse<Response>();
    const claim = this.idempotency.claim({
      scope: req.actor?.userId ?? 'anonymous',
      key: header,
      method: req.method,
      path: req.originalUrl ?? req.url,
      requestHash: requestHash(req.body),
    });
    return from(claim).pipe(
      mergeMap((c) => {
        if (c.kind === 'replay') {
          res.status(c.status);
          res.setHeader(REPLAYED_HEADER, 'true');
          return of(c.body ?? undefined);
        }
        return next.handle().pipe(
          mergeMap(async (body) => {
            // The state change has happened: a failure to remember it must not turn success into a 500.
            await this.idempotency
              .complete(c.id, res.statusCode, body)
              .catch((e) => this.logger.error({ err: e }, 'Could not store an idempotent response'));
            return body;
          }),
          catchError((err: unknown) => from(this.onError(c.id, err, res)).pipe(mergeMap(() => throwError(() => err)))),
        );
      }),
    );
  }

  private async onError(id: string, err: unknown, res: Response): Promise<void> {
    if (!(err instanceof HttpException) || err.getStatus() >= 500) {
      await this.idempotency
        .release(id)
        .catch((e) => this.logger.error({ err: e }, 'Could not release an idempotency key'));
      return;
    }
    // A client error is an answer too; its body is rendered by the exception filter, so catch it
    // on its way out and store it before it is sent (a replay racing the send then finds it).
    const original = res.json;
    let stored = false;
    res.json = ((body: unknown) => {
      res.json = original;
      stored = true;
      void this.idempotency
        .complete(id, res.statusCode, body)
        .catch((e) => this.logger.error({ err: e }, 'Could not store an idempotent response'))
        .finally(() => original.call(res, body));
      return res;
    }) as Response['json'];
    res.once('close', () => {
      if (!stored) void this.idempotency.release(id).catch(() => undefined);
    });
  }
}
