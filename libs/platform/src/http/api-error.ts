import { HttpException, HttpStatus } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

/** The one error body every endpoint answers with. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
  errors?: FieldError[];
  requestId?: string;
}

/**
 * An error with a machine-readable code. Domain services throw these; the filter renders them.
 */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly fieldErrors?: FieldError[],
  ) {
    super(message, status);
  }

  static badRequest(code: string, message: string, details?: Record<string, unknown>) {
    return new ApiError(HttpStatus.BAD_REQUEST, code, message, details);
  }
  static unauthorized(message = 'Authentication required', code = 'unauthorized') {
    return new ApiError(HttpStatus.UNAUTHORIZED, code, message);
  }
  static forbidden(message: string, code = 'forbidden', details?: Record<string, unknown>) {
    return new ApiError(HttpStatus.FORBIDDEN, code, message, details);
  }
  static notFound(what: string, id?: string) {
    return new ApiError(HttpStatus.NOT_FOUND, 'not_found', id ? `${what} ${id} not found` : `${what} not found`);
  }
  static conflict(code: string, message: string, details?: Record<string, unknown>) {
    return new ApiError(HttpStatus.CONFLICT, code, message, details);
  }
  static unprocessable(code: string, message: string, fieldErrors?: FieldError[], details?: Record<string, unknown>) {
    return new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, code, message, details, fieldErrors);
  }
  /**
   * The server's own stored data no longer matches the hash it recorded (altered in the database or
   * on disk): refused rather than served under a hash it no longer has. A 500, because nothing the
   * client sends can fix it; the code names it, and the caller logs it as an error.
   */
  static integrityFailed(message: string, details?: Record<string, unknown>) {
    return new ApiError(HttpStatus.INTERNAL_SERVER_ERROR, 'integrity_failed', message, details);
  }
  static validation(errors: FieldError[], status: HttpStatus = HttpStatus.BAD_REQUEST) {
    const message = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return new ApiError(status, 'validation_failed', message || 'Validation failed', undefined, errors);
  }
}
