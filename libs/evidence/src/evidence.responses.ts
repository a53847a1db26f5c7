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

@ApiSchema({ name: 'EvidenceDigitalSignature' })
export class EvidenceDigitalSignatureResponse {
  @ApiText({ description: 'The embedded file that holds the CMS (DER), e.g. `signature-1.p7s`' }) file: string;
  @ApiText({ description: 'The party the signature is for' }) organisationId: string;
  @ApiText({ nullable: true, description: 'The party as the signed (canonical) text names it' }) party: string | null;
  @ApiBool({ description: 'Every check on this signature passed' }) ok: boolean;
  @ApiText({ nullable: true, description: "The certificate's common name (not the file's JSON)" }) signer:
    string | null;
  @ApiText({ nullable: true, description: "The certificate's IIN (subject serialNumber `IIN…`)" }) iin: string | null;
  @ApiText({ nullable: true, description: "The certificate's BIN (`OU=BIN…`)" }) bin: string | null;
  @ApiSha256({ nullable: true, description: 'SHA-256 of the signer certificate (DER)' }) fingerprint: string | null;
  @ApiText({ nullable: true, description: "The certificate's issuer" }) issuer: string | null;
  @ApiDateTime({ nullable: true, description: "The signing time the CMS states (the signer's claim)" })
  signedAt: string | null;
  @ApiProperty({
    enum: ['trusted', 'untrusted', 'not_checked'],
    description:
      '`trusted`: the certificate chains to a trust anchor of the verifier (the server: SIGNATURE_TRUST_ANCHORS); ' +
      '`untrusted`: it does not; `not_checked`: the verifier has no anchors, so the chain was not checked',
  })
  chain: 'trusted' | 'untrusted' | 'not_checked';
  @ApiProperty({ type: [String], description: 'What failed, and where the JSON disagrees with the certificate' })
  problems: string[];
  @ApiProperty({
    type: [String],
    description: 'Differences that are not failures (the JSON names the user, the certificate its holder)',
  })
  notes: string[];
}

@ApiSchema({ name: 'EvidenceIssueRecord' })
export class EvidenceIssueRecordResponse {
  @ApiDateTime() issuedAt: string;
  @ApiText({ description: "The user's name when the file was served to them" }) issuedTo: string;
}

@ApiSchema({ name: 'EvidenceRecordDetails' })
export class EvidenceRecordDetailsResponse {
  @ApiInt({ minimum: 0 }) currentHeadSeq: number;
  @ApiSha256({ description: "The memorandum's history head now" }) currentHeadHash: string;
  @ApiInt({ minimum: 0, description: "History events recorded after the file's head" }) eventsSince: number;
  @ApiBool({ description: 'Whether the whole history (chain, keyed MACs, the memorandum row) verifies now' })
  historyValid: boolean;
  @ApiText({ nullable: true, description: 'What broke in the history, when it does not verify' })
  historyProblem: string | null;
  @ApiInt({ minimum: 0, description: 'How many times this file was served' }) issueCount: number;
  @ApiProperty({ type: [EvidenceIssueRecordResponse], description: 'The latest 20, newest first' })
  issues: EvidenceIssueRecordResponse[];
}

@ApiSchema({ name: 'EvidenceRecord' })
export class EvidenceRecordResponse {
  @ApiBool({
    description:
      'true: the file is one this server issued (byte for byte, or with signatures or timestamps added after ' +
      'its seal); false: it is not (nothing else is said, whether or not the memorandum it names exists)',
  })
  issued: boolean;
  @ApiPropertyOptional({ type: 'string', format: 'date-time', description: 'When this server first issued the file' })
  issuedAt?: string;
  @ApiPropertyOptional({ type: 'string', format: 'uuid' }) memorandumId?: string;
  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'null: issued before this was recorded' })
  revisionNumber?: number | null;
  @ApiPropertyOptional({ type: 'integer', description: 'The history head the file was made from' }) headSeq?: number;
  @ApiPropertyOptional({ type: 'string' }) headHash?: string;
  @ApiPropertyOptional({ type: 'boolean', description: 'Signatures or timestamps were added after the seal' })
  laterUpdates?: boolean;
  @ApiPropertyOptional({
    type: 'boolean',
    description: "The memorandum's keyed history still passes through the file's head, unaltered up to it",
  })
  historyHoldsHead?: boolean;
  @ApiPropertyOptional({
    type: EvidenceRecordDetailsResponse,
    description: 'Only for a signed-in caller who may see the memorandum',
  })
  memorandum?: EvidenceRecordDetailsResponse;
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
  @ApiPropertyOptional({
    type: [EvidenceDigitalSignatureResponse],
    description: 'Each digital signature embedded in the file, who signed it as its certificate says',
  })
  signatures?: EvidenceDigitalSignatureResponse[];
  @ApiPropertyOptional({ type: 'string', description: 'The memorandum the file says it is about' })
  memorandumId?: string;
  @ApiPropertyOptional({ type: 'string', description: "The memorandum's title as the file states it" })
  title?: string;
  @ApiPropertyOptional({ type: 'string', nullable: true }) revisionHash?: string | null;
  @ApiPropertyOptional({ type: 'string' }) headHash?: string;
  @ApiProperty({ type: EvidenceRecordResponse, description: "The file compared with this server's records" })
  record: EvidenceRecordResponse;
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
