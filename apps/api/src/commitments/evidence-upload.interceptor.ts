/**
 * Multipart intake of a report: the `report` field (JSON) and up to N `files`. Each file streams
 * to a private temporary file as it arrives, seen once on the way (size, SHA-256, its first bytes,
 * whether it is UTF-8 text: EvidenceScan), so an upload holds a few buffers in memory whatever its
 * size; the report's transaction then copies the files into PostgreSQL chunk by chunk, and the
 * temporary files are removed when the request ends, whatever its outcome. At most
 * EVIDENCE_UPLOADS_CONCURRENT uploads run at a time in this process; one more waits up to
 * EVIDENCE_UPLOAD_WAIT_MS for a turn, then answers 429 with Retry-After. Multer's refusals become
 * answers that name the field: 413 for a file over the limit, 400 for the rest.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, Transform } from 'node:stream';
import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import { from, lastValueFrom, Observable } from 'rxjs';
import { EvidenceScan, EvidenceSettings } from '@kelisim/commitments';
import { ApiError } from '@kelisim/platform';
import { UploadSlots } from './upload-slots';

const UPLOAD_DIRECTORY = Symbol('evidence upload directory');
type UploadRequest = Request & { [UPLOAD_DIRECTORY]?: string };

/** Multer storage that writes each file into the request's own directory and scans it on the way. */
class ScanningDiskStorage implements multer.StorageEngine {
  _handleFile(
    req: Request,
    file: Express.Multer.File,
    cb: (error?: unknown, info?: Partial<Express.Multer.File> & { scanned?: unknown }) => void,
  ): void {
    const dir = (req as UploadRequest)[UPLOAD_DIRECTORY];
    if (!dir) return cb(new Error('no upload directory for this request'));
    const path = join(dir, randomUUID());
    const scan = new EvidenceScan();
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        scan.update(chunk);
        done(null, chunk);
      },
    });
    pipeline(file.stream, tap, createWriteStream(path, { flags: 'wx', mode: 0o600 }), (err) => {
      if (err) return cb(err);
      const scanned = scan.finish();
      cb(null, { path, size: scanned.size, scanned });
    });
  }

  _removeFile(_req: Request, file: Express.Multer.File, cb: (error: Error | null) => void): void {
    rm(file.path, { force: true }).then(
      () => cb(null),
      (e: Error) => cb(e),
    );
  }
}

@Injectable()
export class EvidenceUploadInterceptor implements NestInterceptor {
  private readonly upload: ReturnType<ReturnType<typeof multer>['fields']>;
  private readonly slots: UploadSlots;

  constructor(private readonly settings: EvidenceSettings) {
    this.slots = new UploadSlots(settings.uploadsConcurrent);
    this.upload = multer({
      storage: new ScanningDiskStorage(),
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

  /** Uploads being received or stored in this process now. */
  get uploadsInProgress(): number {
    return this.slots.inUse;
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<UploadRequest>();
    if (!req.is('multipart/form-data')) return next.handle();
    // A client that gives up while waiting gives its place up too.
    const gone = new AbortController();
    const onClose = () => gone.abort();
    req.once('close', onClose);
    const release = await this.slots.acquire(this.settings.uploadWaitMs, gone.signal);
    req.off('close', onClose);
    if (!release) {
      const seconds = Math.max(1, Math.ceil(this.settings.uploadWaitMs / 1000));
      throw new ApiError(
        HttpStatus.TOO_MANY_REQUESTS,
        'uploads_busy',
        `${this.settings.uploadsConcurrent} evidence uploads are in progress; retry in ${seconds} s`,
        { retryAfterSeconds: seconds },
      );
    }
    let dir: string | undefined;
    const done = async () => {
      release();
      if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    };
    try {
      // Under TMPDIR, a directory of this request's own (0700), made now: a cleaner of old
      // temporary files may have removed any made earlier. Removed whole when the request ends.
      dir = req[UPLOAD_DIRECTORY] = await mkdtemp(join(tmpdir(), 'kelisim-evidence-'));
      if (req.destroyed) throw ApiError.validation([{ field: 'body', message: 'the client closed the request' }]);
      await new Promise<void>((resolve, reject) =>
        this.upload(req, http.getResponse<Response>(), (err: unknown) => (err ? reject(this.refusal(err)) : resolve())),
      );
    } catch (e) {
      await done();
      throw e;
    }
    // The files are gone before the answer leaves: a client that reads it finds nothing left behind.
    return from(
      (async () => {
        try {
          return await lastValueFrom(next.handle());
        } finally {
          await done();
        }
      })(),
    );
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
