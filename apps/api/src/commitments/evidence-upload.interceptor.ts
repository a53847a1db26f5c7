/**
 * Multipart intake of a report: the `report` field (JSON) and up to N `files`, held in memory
 * (they go into PostgreSQL in the report's transaction) under the configured size limit. Multer's
 * refusals become answers that name the field: 413 for a file over the limit, 400 for the rest.
 */
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import { Observable } from 'rxjs';
import { EvidenceSettings } from '@kelisim/commitments';
import { ApiError } from '@kelisim/platform';

@Injectable()
export class EvidenceUploadInterceptor implements NestInterceptor {
  private readonly upload: ReturnType<ReturnType<typeof multer>['fields']>;

  constructor(private readonly settings: EvidenceSettings) {
    this.upload = multer({
      storage: multer.memoryStorage(),
      // Browsers and curl send file names as UTF-8 (Kazakh, Russian); busboy's default reads them as Latin-1.
      defParamCharset: 'utf8',
      limits: {
        fileSize: settings.maxFileBytes,
        files: settings.maxFiles,
        fields: 4,
        fieldSize: 1024 * 1024,
        parts: settings.maxFiles + 4,
      },
    }).fields([{ name: 'files', maxCount: settings.maxFiles }]);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (req.is('multipart/form-data')) {
      await new Promise<void>((resolve, reject) =>
        this.upload(req, http.getResponse<Response>(), (err: unknown) => (err ? reject(this.refusal(err)) : resolve())),
      );
    }
    return next.handle();
  }

  private refusal(err: unknown): ApiError {
    if (err instanceof multer.MulterError) {
      const field = err.field ?? 'files';
      switch (err.code) {
        case 'LIMIT_FILE_SIZE':
          return ApiError.validation([{ field, message: `is larger than ${this.settings.maxFileBytes} bytes` }], 413);
        case 'LIMIT_FILE_COUNT':
        case 'LIMIT_PART_COUNT':
          return ApiError.validation([{ field: 'files', message: `at most ${this.settings.maxFiles} files` }], 413);
        case 'LIMIT_FIELD_VALUE':
          return ApiError.validation([{ field, message: 'is longer than 1 MB' }], 413);
        case 'LIMIT_UNEXPECTED_FILE':
          return ApiError.validation([{ field, message: 'is not a file field: send evidence as `files`' }]);
        default:
          return ApiError.validation([{ field, message: err.message }]);
      }
    }
    return ApiError.validation([
      { field: 'body', message: `is not valid multipart/form-data: ${(err as Error).message}` },
    ]);
  }
}
