/**
 * The machine-readable evidence attached inside the PDF (`kelisim-evidence.json`): enough to
 * recompute the revision hash from the texts and the history chain from its events without
 * Kelisim's server or database. Its shape is part of every evidence PDF ever issued: change it
 * only with a new `v` and a verifier that reads both.
 */
import type { ChainedEventFields } from '@kelisim/history';
import type { RevisionTerms } from '@kelisim/memoranda';

export const EVIDENCE_VERSION = 'kelisim.evidence.v1';
export const EVIDENCE_ATTACHMENT = 'kelisim-evidence.json';

/** The embedded file holding the revision's canonical bytes: what its hash is taken over and digital signatures sign. */
export const canonicalAttachment = (revisionNumber: number) => `revision-${revisionNumber}-canonical.json`;
/** The embedded file holding the `n`th digital signature's CMS (DER), n from 1. */
export const signatureAttachment = (n: number) => `signature-${n}.p7s`;

/** A file embedded in the evidence PDF beside the JSON (sealed with it). */
export interface EvidenceFile {
  name: string;
  bytes: Buffer;
  type: string;
  description: string;
}

export interface EvidenceOrganisation {
  id: string;
  name: string;
  shortName: string;
}

export interface EvidenceParty extends EvidenceOrganisation {
  role: string;
  order: number;
  requiredSignatures: number;
  representatives: Array<{ fullName: string; roles: string[] }>;
}

export interface EvidenceApproval {
  organisationId: string;
  decision: string;
  revisionNumber: number;
  revisionHash: string;
  decidedBy: string | null;
  decidedAt: string;
  comment: string | null;
}

/**
 * What the server recorded of a digital signature's certificate when it verified it
 * (docs/signatures.md); the verifier compares it with the certificate in the embedded CMS.
 */
export interface EvidenceSignatureDigital {
  /** The embedded file that holds the CMS (DER), signatureAttachment(n). */
  cmsFile: string;
  cmsSha256: string;
  certificate: { fingerprint: string; subject: string | null; iin: string | null; bin: string | null };
}

export interface EvidenceSignature {
  /** Absent in files made before digital signatures were embedded. */
  signatureId?: string;
  organisationId: string;
  method: string;
  signerName: string;
  revisionNumber: number;
  revisionHash: string;
  signedAt: string;
  recordedAt: string;
  place: string | null;
  evidenceReference: string | null;
  evidenceSha256: string | null;
  /** Digital signatures only; absent in files made before they were embedded. */
  digital?: EvidenceSignatureDigital;
}

/** One row of the commitments section; filled by an EvidenceCommitments provider when one is bound. */
export interface EvidenceCommitment {
  title: string;
  status: string;
  leadOrganisation: string | null;
  due: string | null;
}

/** A history event as hashed (dates as ISO strings), with its hash. */
export type EvidenceEvent = Omit<ChainedEventFields, 'at'> & { at: string; hash: string };

export interface EvidenceData {
  v: typeof EVIDENCE_VERSION;
  generatedAt: string;
  memorandum: {
    id: string;
    title: string;
    status: string;
    amendmentStatus: string | null;
    version: number;
    coordinatingOrganisation: EvidenceOrganisation;
    templateId: string | null;
    templateVersion: number | null;
  };
  /** The revision the evidence is about: the executed one once executed, else the current one. */
  revision: {
    number: number;
    kind: string;
    /** null while it is a working (not yet submitted) revision. */
    hash: string | null;
    frozenAt: string | null;
    /** The canonical terms: exactly what the hash is taken over. */
    terms: RevisionTerms;
    /** The embedded file holding the canonical bytes, when there are digital signatures to check over them. */
    canonicalFile?: string;
  };
  parties: EvidenceParty[];
  approvals: EvidenceApproval[];
  signatures: EvidenceSignature[];
  /** Absent when no commitments provider is bound. */
  commitments?: EvidenceCommitment[];
  history: { events: EvidenceEvent[]; head: { seq: number; hash: string } };
}
