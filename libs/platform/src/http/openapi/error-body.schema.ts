import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ErrorBody, FieldError } from '../api-error';

@ApiSchema({ name: 'FieldError' })
export class FieldErrorSchema implements FieldError {
  @ApiProperty({ example: 'endDate', description: 'Path of the field: `parties[0].role`' })
  field: string;

  @ApiProperty({ example: 'must be after effectiveDate' })
  message: string;
}

/** The OpenAPI schema of {@link ErrorBody}: the declared answer of every 4xx and 5xx. */
@ApiSchema({ name: 'ErrorBody', description: 'The one shape of every error answer' })
export class ErrorBodySchema implements ErrorBody {
  @ApiProperty({ type: 'integer', example: 409 })
  statusCode: number;

  @ApiProperty({ example: 'invalid_transition', description: 'Machine-readable; stable across releases' })
  code: string;

  @ApiProperty({ example: 'Cannot approve: memorandum is in draft' })
  message: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Facts about the refusal' })
  details?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [FieldErrorSchema], description: 'Validation errors (400, 422): one per field' })
  errors?: FieldError[];

  @ApiPropertyOptional({
    example: '5c4b0a52-6f0e-4f43-9d3f-7b2e1f1f7d11',
    description: 'As in the X-Request-Id header',
  })
  requestId?: string;
}
