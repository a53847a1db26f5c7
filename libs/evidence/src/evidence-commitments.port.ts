import type { EntityManager } from 'typeorm';
import type { EvidenceCommitment } from './evidence-data';

/**
 * Where the evidence's commitments section comes from. Nothing binds it yet (commitments are
 * another library's); bind a provider with `EvidenceModule.register({ commitments })` and the
 * section appears in new PDFs. Unbound: the section and the JSON key are left out.
 */
export abstract class EvidenceCommitments {
  abstract rows(manager: EntityManager, memorandumId: string): Promise<EvidenceCommitment[]>;
}
