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

export interface EvidenceSignature {
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
  };
  parties: EvidenceParty[];
  approvals: EvidenceApproval[];
  signatures: EvidenceSignature[];
  /** Absent when no commitments provider is bound. */
  commitments?: EvidenceCommitment[];
  history: { events: EvidenceEvent[]; head: { seq: number; hash: string } };
}
