import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EvidenceCommitment, EvidenceCommitments } from '@kelisim/evidence';
import { RevisionCommitment } from '@kelisim/memoranda';
import { Commitment, RevisionCommitmentsRow } from './entities';

/**
 * The commitments section of a memorandum's evidence PDF (libs/evidence's port): every commitment, text and plan,
 * with its status, lead party and due date or recurrence, read in the renderer's snapshot. Commitment changes
 * write history events, so a PDF cached for an older history head is never served for newer commitments.
 */
@Injectable()
export class CommitmentsEvidenceSection extends EvidenceCommitments {
  async rows(manager: EntityManager, memorandumId: string): Promise<EvidenceCommitment[]> {
    const rows = await manager.getRepository(Commitment).find({
      where: { memorandumId },
      relations: { leadOrganisation: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map((c) => ({
      title: c.clauseRef ? `${c.clauseRef} ${c.title}` : c.title,
      status: c.status,
      leadOrganisation: c.leadOrganisation?.name ?? null,
      due: c.dueDate ?? (c.rrule ? `RRULE:${c.rrule}` : null),
    }));
  }

  async revisionCommitments(
    manager: EntityManager,
    memorandumId: string,
    revisionNumber: number,
  ): Promise<RevisionCommitment[]> {
    const row = await manager.getRepository(RevisionCommitmentsRow).findOneBy({ memorandumId, revisionNumber });
    return (row?.commitments as RevisionCommitment[] | undefined) ?? [];
  }
}
