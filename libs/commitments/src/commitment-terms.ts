/**
 * A commitment's terms (what the text promises, never its status): from the create and update DTOs, checked
 * against the memorandum's parties and a term (the memorandum's, or an open amendment's). Pure.
 */
import { MemorandumParty } from '@kelisim/memoranda';
import { ApiError } from '@kelisim/platform';
import { CreateCommitmentDto, UpdateCommitmentDto } from './dto/commitment.dto';
import { Commitment } from './entities';
import { planOccurrences, Term } from './occurrences';

export const TERM_FIELDS = [
  'title',
  'description',
  'clauseRef',
  'leadOrganisationId',
  'organisationIds',
  'targetQuantity',
  'targetUnit',
  'dueDate',
  'rrule',
] as const;
export type Terms = Pick<Commitment, (typeof TERM_FIELDS)[number]>;

export function termsOfCreate(dto: CreateCommitmentDto): Terms {
  return {
    title: dto.title,
    description: dto.description ?? null,
    clauseRef: dto.clauseRef || null,
    leadOrganisationId: dto.leadOrganisationId.toLowerCase(),
    organisationIds: (dto.organisationIds ?? []).map((o) => o.toLowerCase()),
    targetQuantity: dto.target?.quantity ?? null,
    targetUnit: dto.target?.unit ?? null,
    dueDate: dto.dueDate ?? null,
    rrule: dto.rrule ?? null,
  };
}

/** The terms after a PATCH: `null` clears an optional one; a new due date replaces the rule and the reverse. */
export function termsOfUpdate(dto: UpdateCommitmentDto, c: Terms): Terms {
  return {
    title: dto.title ?? c.title,
    description: dto.description === undefined ? c.description : dto.description,
    clauseRef: dto.clauseRef === undefined ? c.clauseRef : dto.clauseRef || null,
    leadOrganisationId: dto.leadOrganisationId?.toLowerCase() ?? c.leadOrganisationId,
    organisationIds: dto.organisationIds?.map((o) => o.toLowerCase()) ?? c.organisationIds,
    targetQuantity: dto.target === undefined ? c.targetQuantity : (dto.target?.quantity ?? null),
    targetUnit: dto.target === undefined ? c.targetUnit : (dto.target?.unit ?? null),
    dueDate: dto.dueDate === undefined ? (dto.rrule ? null : c.dueDate) : dto.dueDate,
    rrule: dto.rrule === undefined ? (dto.dueDate ? null : c.rrule) : dto.rrule,
  };
}

export function termsOf(c: Terms): Terms {
  return Object.fromEntries(TERM_FIELDS.map((k) => [k, c[k]])) as Terms;
}

/** The fields that differ; the other parties as a set (a revision keeps them sorted). */
export function changedTerms(a: Terms, b: Terms): string[] {
  const same = (k: (typeof TERM_FIELDS)[number]) =>
    k === 'organisationIds'
      ? JSON.stringify([...a[k]].sort()) === JSON.stringify([...b[k]].sort())
      : JSON.stringify(a[k]) === JSON.stringify(b[k]);
  return TERM_FIELDS.filter((k) => !same(k));
}

/** The terms against the parties and a term: parties, term dates, recurrence (422 naming the field). Answers the dates. */
export function checkTerms(parties: MemorandumParty[], term: Term, t: Terms): string[] {
  const ids = new Set(parties.map((p) => p.organisationId.toLowerCase()));
  if (!ids.has(t.leadOrganisationId))
    throw ApiError.validation([{ field: 'leadOrganisationId', message: 'must be a party of the memorandum' }], 422);
  const stranger = t.organisationIds.find((o) => !ids.has(o));
  if (stranger)
    throw ApiError.validation(
      [{ field: 'organisationIds', message: `${stranger} is not a party of the memorandum` }],
      422,
    );
  const plan = planOccurrences(t, term);
  if (!plan.ok) throw ApiError.validation([plan.error], 422);
  return plan.dates;
}

/** The terms for a history event: empty ones left out. */
export function termsData(t: Terms): Record<string, unknown> {
  return Object.fromEntries(Object.entries(t).filter(([, v]) => v !== null && !(Array.isArray(v) && !v.length)));
}
