/** Response schemas of review, signing and history (OpenAPI). */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ApiBool, ApiDateTime, ApiFreeObject, ApiInt, ApiSha256, ApiText, ApiUuid } from '@kelisim/platform';
import { DECISIONS, MEMORANDUM_STATUSES, PARTY_ROLES, SIGNATURE_METHODS, SIGNING_MODES } from '../vocabulary';

@ApiSchema({ name: 'Approval' })
export class ApprovalResponse {
  @ApiUuid() id: string;
  @ApiUuid() organisationId: string;
  @ApiProperty({ enum: DECISIONS }) decision: string;
  @ApiText({ nullable: true }) comment: string | null;
  @ApiUuid() userId: string;
  @ApiDateTime() decidedAt: Date;
  @ApiInt() revisionNumber: number;
  @ApiSha256() revisionHash: string;
}

@ApiSchema({ name: 'ApprovalRecorded' })
export class ApprovalRecordedResponse extends ApprovalResponse {
  @ApiProperty({ enum: MEMORANDUM_STATUSES, description: "The memorandum's status after this decision" })
  memorandumStatus: string;
}

@ApiSchema({ name: 'PartyDecision' })
export class PartyDecisionResponse {
  @ApiUuid() organisationId: string;
  @ApiProperty({ enum: PARTY_ROLES }) role: string;
  @ApiInt() order: number;
  @ApiProperty({ enum: DECISIONS, nullable: true }) decision: string | null;
  @ApiDateTime({ nullable: true }) decidedAt: Date | null;
}

@ApiSchema({ name: 'Approvals' })
export class ApprovalsResponse {
  @ApiInt() revisionNumber: number;
  @ApiSha256({ nullable: true }) revisionHash: string | null;
  @ApiProperty({ type: [PartyDecisionResponse] }) parties: PartyDecisionResponse[];
  @ApiProperty({ type: [ApprovalResponse], description: 'Every decision and comment, oldest first' })
  items: ApprovalResponse[];
}

@ApiSchema({ name: 'Evidence' })
export class EvidenceResponse {
  @ApiText() reference: string;
  @ApiSha256({ nullable: true }) sha256: string | null;
}

@ApiSchema({ name: 'SignerCertificate' })
export class SignerCertificateResponse {
  @ApiSha256({ description: 'SHA-256 of the DER certificate' }) fingerprint: string;
  @ApiText() subject: string;
  @ApiText() issuer: string;
  @ApiText({ description: 'Serial number, hex' }) serialNumber: string;
  @ApiText({ nullable: true, pattern: '^[0-9]{12}$', description: 'IIN from the subject serialNumber' })
  iin: string | null;
  @ApiText({ nullable: true, pattern: '^[0-9]{12}$', description: 'BIN from the subject OU (an employee)' })
  bin: string | null;
}

@ApiSchema({ name: 'Signature' })
export class SignatureResponse {
  @ApiUuid() id: string;
  @ApiUuid() organisationId: string;
  @ApiProperty({ enum: SIGNATURE_METHODS }) method: string;
  @ApiText() signerName: string;
  @ApiUuid({ nullable: true }) signerUserId: string | null;
  @ApiDateTime() signedAt: Date;
  @ApiDateTime() recordedAt: Date;
  @ApiInt() revisionNumber: number;
  @ApiSha256() revisionHash: string;
  @ApiText({ nullable: true }) place: string | null;
  @ApiProperty({ type: EvidenceResponse, nullable: true }) evidence: EvidenceResponse | null;
  @ApiProperty({ type: SignerCertificateResponse, nullable: true, description: "digital: the signer's certificate" })
  certificate: SignerCertificateResponse | null;
  @ApiSha256({ nullable: true, description: 'digital: SHA-256 of the DER CMS' }) cmsSha256: string | null;
  @ApiDateTime({
    nullable: true,
    description: 'digital: genTime of the RFC 3161 signature timestamp (SIGNATURE_TSA_URL), null when it has none',
  })
  timestampedAt: Date | null;
  /** Shown to the coordinating organisation's coordinators, supervisors and admins only. */
  @ApiText({ nullable: true, required: false }) ipAddress?: string | null;
  @ApiText({ nullable: true, required: false }) userAgent?: string | null;
}

@ApiSchema({ name: 'SignatureRecorded' })
export class SignatureRecordedResponse extends SignatureResponse {
  @ApiProperty({ enum: MEMORANDUM_STATUSES, description: "The memorandum's status after this signature" })
  memorandumStatus: string;
}

@ApiSchema({ name: 'PartySignatures' })
export class PartySignaturesResponse {
  @ApiUuid() organisationId: string;
  @ApiInt() order: number;
  @ApiInt() requiredSignatures: number;
  @ApiInt() signed: number;
  @ApiBool() complete: boolean;
}

@ApiSchema({ name: 'Signatures' })
export class SignaturesResponse {
  @ApiInt() revisionNumber: number;
  @ApiProperty({ enum: SIGNING_MODES, nullable: true }) signingMode: string | null;
  @ApiProperty({ type: [PartySignaturesResponse] }) parties: PartySignaturesResponse[];
  @ApiProperty({ type: [SignatureResponse] }) items: SignatureResponse[];
}

@ApiSchema({ name: 'HistoryActor' })
export class HistoryActorResponse {
  @ApiUuid({ nullable: true }) userId: string | null;
  @ApiText({ nullable: true }) name: string | null;
}

@ApiSchema({ name: 'HistoryEvent' })
export class HistoryEventResponse {
  @ApiInt({ minimum: 1 }) seq: number;
  @ApiText() action: string;
  @ApiText({ nullable: true }) fromStatus: string | null;
  @ApiText({ nullable: true }) toStatus: string | null;
  @ApiProperty({ type: HistoryActorResponse, nullable: true }) actor: HistoryActorResponse | null;
  @ApiUuid({ nullable: true }) organisationId: string | null;
  @ApiInt({ nullable: true }) revisionNumber: number | null;
  @ApiText({ nullable: true }) revisionHash: string | null;
  @ApiText({ nullable: true }) reason: string | null;
  @ApiText({ nullable: true }) requestId: string | null;
  @ApiDateTime() at: Date;
  @ApiSha256() prevHash: string;
  @ApiSha256() hash: string;
  @ApiFreeObject() data: Record<string, unknown>;
}

@ApiSchema({ name: 'History' })
export class HistoryResponse {
  @ApiProperty({ type: [HistoryEventResponse] }) items: HistoryEventResponse[];
}

@ApiSchema({
  name: 'HistoryVerification',
  description: '`{ valid: true, events }` or `{ valid: false, brokenAtSeq, reason }`',
})
export class HistoryVerificationResponse {
  @ApiBool() valid: boolean;
  @ApiPropertyOptional({ type: 'integer', description: 'When valid: events checked' }) events?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'When not valid: the first broken event' }) brokenAtSeq?: number;
  @ApiPropertyOptional({ type: 'string' }) reason?: string;
}
