/** How commitments and their occurrences read in answers. */
import { allowedCommitmentActions } from './commitment-status';
import { Commitment, CommitmentOccurrence } from './entities';

export function occurrenceView(o: CommitmentOccurrence, reportIds: string[]) {
  return {
    id: o.id,
    date: o.date,
    status: o.status,
    overdueAt: o.overdueAt,
    completedAt: o.completedAt,
    late: o.late,
    reportIds,
  };
}

export function commitmentView(
  c: Commitment,
  occurrences: CommitmentOccurrence[],
  reportsByDate: Map<string | null, string[]>,
) {
  return {
    id: c.id,
    memorandumId: c.memorandumId,
    origin: c.origin,
    title: c.title,
    description: c.description,
    clauseRef: c.clauseRef,
    leadOrganisationId: c.leadOrganisationId,
    organisationIds: c.organisationIds,
    target:
      c.targetQuantity !== null && c.targetUnit !== null ? { quantity: c.targetQuantity, unit: c.targetUnit } : null,
    dueDate: c.dueDate,
    rrule: c.rrule,
    status: c.status,
    frozenRevisionNumber: c.frozenRevisionNumber,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    allowedActions: allowedCommitmentActions(c.status),
    reportIds: reportsByDate.get(null) ?? [],
    occurrences: occurrences.map((o) => occurrenceView(o, reportsByDate.get(o.date) ?? [])),
  };
}

export type CommitmentView = ReturnType<typeof commitmentView>;
