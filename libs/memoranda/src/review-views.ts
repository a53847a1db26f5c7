/** What the API shows of an approval and of a signature (schemas: dto/review.responses.ts). */
import { MemorandumApproval, MemorandumSignature } from './entities';

export function approvalView(a: MemorandumApproval) {
  return {
    id: a.id,
    organisationId: a.organisationId,
    decision: a.decision,
    comment: a.comment,
    userId: a.userId,
    decidedAt: a.decidedAt,
    revisionNumber: a.revisionNumber,
    revisionHash: a.revisionHash,
  };
}

/** `seesEvidence`: the signer's IP address and user agent are shown only to those who may see that evidence. */
export function signatureView(s: MemorandumSignature, seesEvidence = true) {
  return {
    id: s.id,
    organisationId: s.organisationId,
    method: s.method,
    signerName: s.signerName,
    signerUserId: s.signerUserId,
    signedAt: s.signedAt,
    recordedAt: s.recordedAt,
    revisionNumber: s.revisionNumber,
    revisionHash: s.revisionHash,
    place: s.place,
    evidence: s.evidenceReference ? { reference: s.evidenceReference, sha256: s.evidenceSha256 } : null,
    certificate: s.certificateFingerprint
      ? {
          fingerprint: s.certificateFingerprint,
          subject: s.certificateSubject,
          issuer: s.certificateIssuer,
          serialNumber: s.certificateSerial,
          iin: s.certificateIin,
          bin: s.certificateBin,
        }
      : null,
    cmsSha256: s.cmsSha256 ?? null,
    timestampedAt: s.timestampGenTime ?? null,
    ...(seesEvidence ? { ipAddress: s.ipAddress, userAgent: s.userAgent } : {}),
  };
}
