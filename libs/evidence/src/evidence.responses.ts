/** Response schemas of the evidence endpoints (OpenAPI). */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ApiBool, ApiInt, ApiSha256, ApiText } from '@kelisim/platform';

@ApiSchema({ name: 'EvidencePending' })
export class EvidencePendingResponse {
  @ApiProperty({ enum: ['pending'] }) status: 'pending';
  @ApiInt({ minimum: 1, description: 'The history event the PDF will reflect' }) headSeq: number;
  @ApiSha256() headHash: string;
  @ApiInt({ minimum: 1, description: 'Seconds to wait before asking again (also in Retry-After)' }) retryAfter: number;
}

@ApiSchema({ name: 'EvidenceCheck' })
export class EvidenceCheckResponse {
  @ApiText({ example: 'revision_hash' }) name: string;
  @ApiBool() ok: boolean;
  @ApiText() detail: string;
}

@ApiSchema({ name: 'EvidenceVerdict' })
export class EvidenceVerdictResponse {
  @ApiBool({ description: 'true only when every check passes' }) valid: boolean;
  @ApiProperty({ type: [EvidenceCheckResponse] }) checks: EvidenceCheckResponse[];
  @ApiPropertyOptional({ type: 'string', description: 'The memorandum the file says it is about' })
  memorandumId?: string;
  @ApiPropertyOptional({ type: 'string', nullable: true }) revisionHash?: string | null;
  @ApiPropertyOptional({ type: 'string' }) headHash?: string;
}
