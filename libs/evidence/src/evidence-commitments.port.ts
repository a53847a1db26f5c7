import type { EntityManager } from 'typeorm';
import type { RevisionCommitment } from '@kelisim/memoranda';
import type { EvidenceCommitment } from './evidence-data';

/**
 * Where the evidence's commitments section comes from (commitments are another library's): the apps
 * bind libs/commitments' `CommitmentsEvidenceSection` with `EvidenceModule.register({ commitments })`; the
 * section appears in new PDFs. Unbound: the section and the JSON key are left out.
 */
export abstract class EvidenceCommitments {
  abstract rows(manager: EntityManager, memorandumId: string): Promise<EvidenceCommitment[]>;
  /**
   * The commitments frozen into a revision at its submission, part of its hashed terms: without them the attached
   * terms would not hash to the revision's hash. Empty when the revision froze none.
   */
  abstract revisionCommitments(
    manager: EntityManager,
    memorandumId: string,
    revisionNumber: number,
  ): Promise<RevisionCommitment[]>;
}
