/** A frozen revision's canonical bytes as stored: its terms, its parties and its frozen commitments, in its own form. */
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { MemorandumRevision } from '../entities';
import { canonicalBytes } from './canonical';
import { RevisionCommitments } from './canonical-commitments';

export async function frozenRevisionBytes(
  manager: EntityManager,
  commitments: RevisionCommitments | undefined,
  revision: MemorandumRevision,
): Promise<Buffer> {
  const frozen = commitments ? await commitments.frozen(manager, revision.memorandumId, revision.number) : [];
  const bytes = canonicalBytes({ ...revision, parties: revision.parties ?? [], commitments: frozen });
  // The bytes are what signers sign; bytes that no longer give the stored hash must never be handed out.
  if (createHash('sha256').update(bytes).digest('hex') !== revision.hash) {
    throw new Error(`Revision ${revision.number} of memorandum ${revision.memorandumId} no longer gives its hash`);
  }
  return bytes;
}
