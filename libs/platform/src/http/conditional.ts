import {
  applyDecorators,
  CallHandler,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { ApiError } from './api-error';
import { ERROR_DESCRIPTIONS } from './openapi/api-errors.decorator';
import { ErrorBodySchema } from './openapi/error-body.schema';

/**
 * Optimistic concurrency over HTTP: a versioned resource answers `ETag: "<version>"`; a write sends
 * it back in `If-Match` (or `*`: any version). The version read may also come in the body
 * (`version`), where a mismatch stays a 409 as before; a mismatch with If-Match is a 412.
 */
export type ExpectedVersion =
  { source: 'if-match'; version: number } | { source: 'if-match'; any: true } | { source: 'body'; version: number };

export const etagOf = (version: number) => `"${version}"`;

const ENTITY_TAG = /^\s*(?:W\/)?(?:"(\d{1,9})"|(\d{1,9}))\s*$/;

/** The If-Match header as a condition (undefined when absent); 400 naming If-Match when malformed. */
export function parseIfMatch(header: string | string[] | undefined): ExpectedVersion | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return { source: 'if-match', any: true };
  const m = ENTITY_TAG.exec(value);
  if (!m) throw ApiError.validation([{ field: 'If-Match', message: 'must be one ETag as answered, e.g. "3", or *' }]);
  return { source: 'if-match', version: Number(m[1] ?? m[2]) };
}

/** If-Match, else the body's `version`; 428 when neither is sent, 400 when they disagree. */
export function requireVersion(ifMatch: ExpectedVersion | undefined, bodyVersion: number | undefined): ExpectedVersion {
  if (ifMatch) {
    if (bodyVersion !== undefined && ('any' in ifMatch || ifMatch.version !== bodyVersion)) {
      throw ApiError.validation([{ field: 'version', message: 'differs from If-Match' }]);
    }
    return ifMatch;
  }
  if (bodyVersion !== undefined) return { source: 'body', version: bodyVersion };
  throw new ApiError(
    428,
    'version_required',
    'Send the version you edit: If-Match: "<version>" (the ETag) or { "version": <version> }',
  );
}

/** Refuses a write whose expected version is not the current one: 412 for If-Match, 409 for a body version. */
export function checkVersion(expected: ExpectedVersion, current: number, what = 'resource'): void {
  if ('any' in expected || expected.version === current) return;
  const details = { currentVersion: current, givenVersion: expected.version, etag: etagOf(current) };
  if (expected.source === 'if-match') {
    throw new ApiError(
      412,
      'precondition_failed',
      `The ${what} changed since version ${expected.version}; reload it`,
      details,
    );
  }
  throw ApiError.conflict('stale_version', `The ${what} changed since version ${expected.version}; reload it`, details);
}

/** `@IfMatch() ifMatch: ExpectedVersion | undefined` — the parsed If-Match header of the request. */
export const IfMatch = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  parseIfMatch(ctx.switchToHttp().getRequest<Request>().headers['if-match']),
);

/** Sets `ETag: "<version>"` from the answer's `version`. */
@Injectable()
export class VersionEtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | null)?.version;
        if (Number.isInteger(version) && !res.headersSent) res.setHeader('ETag', etagOf(version as number));
        return body;
      }),
    );
  }
}

/** The `headers` of a success answer that carries an ETag: `@ApiOkResponse({ type, headers: ETAG_RESPONSE_HEADERS })`. */
export const ETAG_RESPONSE_HEADERS = {
  ETag: { description: 'The version, quoted: send it back in If-Match', schema: { type: 'string', example: '"3"' } },
};

/** The answer carries the resource's ETag, taken from its `version`. */
export const SetsEtag = () => UseInterceptors(VersionEtagInterceptor);

/** A write guarded by If-Match: the header, and its 412 and 428 answers. */
export function ApiIfMatch(options: { bodyVersion?: boolean } = {}): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: `The ETag read ("3"), or * for any version${options.bodyVersion ? '; or send `version` in the body' : ''}. Required.`,
      schema: { type: 'string', example: '"3"' },
    }),
    ApiResponse({ status: 412, description: ERROR_DESCRIPTIONS[412], type: ErrorBodySchema }),
    ApiResponse({ status: 428, description: ERROR_DESCRIPTIONS[428], type: ErrorBodySchema }),
  );
}
