/**
 * The commitments side of the memoranda `RevisionCommitments` seam: at submission, the draft's
 * text commitments are frozen into the revision (their canonical terms stored beside it, each row
 * marked with the revision number) and handed back for the revision's hash.
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '@kelisim/identity';
import { canonicalCommitments, RevisionCommitment, RevisionCommitments } from '@kelisim/memoranda';
import { ApiError, Clock } from '@kelisim/platform';
import { AmendmentEffect } from './amendment-effect';
import { amendmentTerm, loadDraft, revisionTermsOfDraft, saveDraft } from './amendment-draft';
import { Commitment, RevisionCommitmentsRow } from './entities';
import { loadMemorandum } from './follow-up-context';
import { planOccurrences } from './occurrences';
import { CommitmentOrigin } from './vocabulary';

@Injectable()
export class CommitmentsOfRevision extends RevisionCommitments {
  constructor(
    private readonly clock: Clock,
    private readonly effect: AmendmentEffect,
  ) {
    super();
  }

  takeEffect(
    manager: EntityManager,
    memorandumId: string,
    revisionNumber: number,
    at: { actor: Actor | null; now: Date; requestId: string | null },
  ): Promise<number> {
    return this.effect.takeEffect(manager, memorandumId, revisionNumber, at);
  }

  async frozen(manager: EntityManager, memorandumId: string, revisionNumber: number): Promise<RevisionCommitment[]> {
    const row = await manager.getRepository(RevisionCommitmentsRow).findOneBy({ memorandumId, revisionNumber });
    return (row?.commitments as RevisionCommitment[] | undefined) ?? [];
  }

  async freeze(
    manager: EntityManager,
    memorandumId: string,
    revisionNumber: number,
    partyOrganisationIds: string[],
  ): Promise<RevisionCommitment[]> {
    const ctx = await loadMemorandum(manager, null, memorandumId, false);
    if (ctx.state === 'amendment_draft')
      return this.freezeAmendment(manager, ctx, revisionNumber, partyOrganisationIds);
    const rows = await manager
      .getRepository(Commitment)
      .find({ where: { memorandumId, origin: CommitmentOrigin.Text }, order: { createdAt: 'ASC' } });
    checkParties(
      rows.map((c) => ({ ...c, key: c.id })),
      partyOrganisationIds,
    );
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

  /**
   * An amendment's set (its draft, or the live text commitments when it never touched them), checked against the
   * parties and the amended term, stored with the revision even when empty: taking effect then knows the set.
   */
  private async freezeAmendment(
    manager: EntityManager,
    ctx: Awaited<ReturnType<typeof loadMemorandum>>,
    revisionNumber: number,
    partyOrganisationIds: string[],
  ): Promise<RevisionCommitment[]> {
    const now = this.clock.now();
    const draft = await loadDraft(manager, ctx);
    checkParties(draft.items, partyOrganisationIds);
    const term = await amendmentTerm(manager, ctx);
    for (const d of draft.items) {
      const plan = planOccurrences(d, term);
      if (!plan.ok)
        throw ApiError.unprocessable(
          'commitment_outside_term',
          `Commitment "${d.title}" does not fit the amended term: ${plan.error.field} ${plan.error.message}`,
          [{ field: 'commitments', message: `${d.key}: ${plan.error.field} ${plan.error.message}` }],
        );
    }
    if (!draft.stored) await saveDraft(manager, ctx.memorandum.id, draft, now);
    const terms = canonicalCommitments(draft.items.map(revisionTermsOfDraft)) ?? [];
    await manager
      .getRepository(RevisionCommitmentsRow)
      .upsert({ memorandumId: ctx.memorandum.id, revisionNumber, commitments: terms, frozenAt: now }, [
        'memorandumId',
        'revisionNumber',
      ]);
    return terms;
  }
}

function checkParties(
  rows: { key: string; title: string; leadOrganisationId: string; organisationIds: string[] }[],
  partyOrganisationIds: string[],
): void {
  const parties = new Set(partyOrganisationIds.map((p) => p.toLowerCase()));
  for (const c of rows) {
    const stranger = [c.leadOrganisationId, ...c.organisationIds].find((o) => !parties.has(o.toLowerCase()));
    if (stranger)
      throw ApiError.unprocessable(
        'commitment_party_missing',
        `Commitment "${c.title}" names ${stranger}, which is no longer a party`,
        [{ field: 'commitments', message: `${c.key} names an organisation that is not a party` }],
      );
  }
}

export function revisionTermsOf(c: Commitment): RevisionCommitment {
  return {
    key: c.id,
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
