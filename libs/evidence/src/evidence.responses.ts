/** Response schemas of the evidence endpoints (OpenAPI). */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ApiBool, ApiDateTime, ApiInt, ApiSha256, ApiText } from '@kelisim/platform';

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

@ApiSchema({ name: 'EvidenceSealSummary' })
export class EvidenceSealSummaryResponse {
  @ApiText({ description: "The seal certificate's common name, as the certificate says it" }) signer: string;
  @ApiSha256({ description: 'SHA-256 of the seal certificate (DER)' }) fingerprint: string;
  @ApiDateTime({ nullable: true, description: 'The signing time the seal states (not a trusted time)' })
  signedAt: string | null;
  @ApiBool({
    nullable: true,
    description: 'Whether it is a seal the verifier was told to trust (null: none was named)',
  })
  trusted: boolean | null;
}

@ApiSchema({ name: 'EvidenceUpdate' })
export class EvidenceUpdateResponse {
  @ApiProperty({ enum: ['signature', 'timestamp'] }) kind: 'signature' | 'timestamp';
  @ApiText({ description: "The signer certificate's common name" }) signer: string;
  @ApiSha256() fingerprint: string;
  @ApiDateTime({ nullable: true }) signedAt: string | null;
}

@ApiSchema({ name: 'EvidenceVerdict' })
export class EvidenceVerdictResponse {
  @ApiBool({ description: 'true only when every check passes and the seal is one the verifier trusts' })
  valid: boolean;
  @ApiProperty({
    enum: ['valid', 'intact', 'unsealed', 'invalid'],
    description:
      '`valid`: every check passes, sealed by a trusted seal. `intact`: every check passes, but the seal is not ' +
      'one the verifier trusts, so who made the file is not proven. `unsealed`: every check passes but there is ' +
      'no seal: nothing proves who made it. `invalid`: a check failed.',
  })
  status: 'valid' | 'intact' | 'unsealed' | 'invalid';
  @ApiPropertyOptional({ type: EvidenceSealSummaryResponse }) seal?: EvidenceSealSummaryResponse;
  @ApiPropertyOptional({
    type: [EvidenceUpdateResponse],
    description: 'Signatures and document timestamps added after the seal, oldest first',
  })
  updates?: EvidenceUpdateResponse[];
  @ApiProperty({ type: [EvidenceCheckResponse] }) checks: EvidenceCheckResponse[];
  @ApiPropertyOptional({ type: 'string', description: 'The memorandum the file says it is about' })
  memorandumId?: string;
  @ApiPropertyOptional({ type: 'string', nullable: true }) revisionHash?: string | null;
  @ApiPropertyOptional({ type: 'string' }) headHash?: string;
}

@ApiSchema({ name: 'EvidenceSealCertificate' })
export class EvidenceSealCertificateResponse {
  @ApiSha256({ description: 'SHA-256 of the certificate (DER): compare it with the one a sealed file names' })
  fingerprint: string;
  @ApiText({ description: "The certificate's subject common name" }) subject: string;
  @ApiProperty({
    enum: ['operator', 'installation'],
    description: "`operator`: EVIDENCE_SEAL_P12; `installation`: the installation's own, made on first start",
  })
  source: 'operator' | 'installation';
  @ApiText({ description: 'The certificate, PEM' }) pem: string;
  @ApiDateTime() notBefore: string;
  @ApiDateTime() notAfter: string;
}
