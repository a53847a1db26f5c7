/**
 * The commitments side of the memoranda `RevisionCommitments` seam: at submission, the draft's
 * text commitments are frozen into the revision (their canonical terms stored beside it, each row
 * marked with the revision number) and handed back for the revision's hash.
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { canonicalCommitments, RevisionCommitment, RevisionCommitments } from '@kelisim/memoranda';
import { ApiError, Clock } from '@kelisim/platform';
import { Commitment, RevisionCommitmentsRow } from './entities';
import { CommitmentOrigin } from './vocabulary';

@Injectable()
export class CommitmentsOfRevision extends RevisionCommitments {
  constructor(private readonly clock: Clock) {
    super();
  }

  async freeze(
    manager: EntityManager,
    memorandumId: string,
    revisionNumber: number,
    partyOrganisationIds: string[],
  ): Promise<RevisionCommitment[]> {
    const rows = await manager
      .getRepository(Commitment)
      .find({ where: { memorandumId, origin: CommitmentOrigin.Text }, order: { createdAt: 'ASC' } });
    const parties = new Set(partyOrganisationIds.map((p) => p.toLowerCase()));
    for (const c of rows) {
      const stranger = [c.leadOrganisationId, ...c.organisationIds].find((o) => !parties.has(o.toLowerCase()));
      if (stranger)
        throw ApiError.unprocessable(
          'commitment_party_missing',
          `Commitment "${c.title}" names ${stranger}, which is no longer a party`,
          [{ field: 'commitments', message: `${c.id} names an organisation that is not a party` }],
        );
    }
    const terms = canonicalCommitments(rows.map(revisionTermsOf)) ?? [];
    if (!terms.length) return [];
    await manager
      .getRepository(Commitment)
      .update({ memorandumId, origin: CommitmentOrigin.Text }, { frozenRevisionNumber: revisionNumber });
    await manager
      .getRepository(RevisionCommitmentsRow)
      .upsert({ memorandumId, revisionNumber, commitments: terms, frozenAt: this.clock.now() }, [
        'memorandumId',
        'revisionNumber',
      ]);
    return terms;
  }
}

export function revisionTermsOf(c: Commitment): RevisionCommitment {
  return {
    title: c.title,
    description: c.description,
    clauseRef: c.clauseRef,
    leadOrganisationId: c.leadOrganisationId,
    organisationIds: c.organisationIds,
    target:
      c.targetQuantity !== null && c.targetUnit !== null ? { quantity: c.targetQuantity, unit: c.targetUnit } : null,
    dueDate: c.dueDate,
    rrule: c.rrule,
  };
}
