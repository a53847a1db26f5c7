/**
 * The text commitments an open amendment proposes (docs/follow-up.md, "Amendments"): where they live while
 * drafted, how they read, and the refusals that send a coordinator to the amendment. No status here: the live
 * commitments keep theirs until the amendment takes effect.
 */
import { EntityManager, IsNull } from 'typeorm';
import { MemorandumRevision, RevisionCommitment } from '@kelisim/memoranda';
import { ApiError } from '@kelisim/platform';
import { changedTerms, Terms, termsOf } from './commitment-terms';
import { AmendmentCommitmentDraft, Commitment, DraftCommitment } from './entities';
import { MemorandumInContext } from './follow-up-context';
import { Term } from './occurrences';
import { CommitmentOrigin } from './vocabulary';

export type AmendmentChange = 'added' | 'changed' | 'unchanged' | 'removed';

/** The history seq of the `amend` event that opened the memorandum's current (or last) amendment. */
export async function amendmentSeq(m: EntityManager, memorandumId: string): Promise<number | null> {
  const rows: { seq: number }[] = await m.query(
    `SELECT seq FROM history_events WHERE memorandum_id = $1 AND action = 'amend' ORDER BY seq DESC LIMIT 1`,
    [memorandumId],
  );
  return rows.length ? Number(rows[0].seq) : null;
}

/** The text commitments in force: of the executed text, not removed by an amendment. */
export function liveTextCommitments(m: EntityManager, memorandumId: string): Promise<Commitment[]> {
  return m.getRepository(Commitment).find({
    where: { memorandumId, origin: CommitmentOrigin.Text, removedInRevision: IsNull() },
    order: { createdAt: 'ASC', id: 'ASC' },
  });
}

export function draftOf(c: Commitment): DraftCommitment {
  return {
    key: c.id,
    continues: true,
    ...termsOf(c),
    version: 1,
    createdByUserId: c.createdByUserId,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export interface AmendmentDraft {
  seq: number;
  items: DraftCommitment[];
  /** Already stored for this amendment (false: copied from the live commitments just now). */
  stored: boolean;
}

/** The open amendment's set: the stored one, or (first touch of this amendment) a copy of the live text commitments. */
export async function loadDraft(m: EntityManager, ctx: MemorandumInContext): Promise<AmendmentDraft> {
  const id = ctx.memorandum.id;
  const seq = await amendmentSeq(m, id);
  if (seq === null) throw new Error(`memorandum ${id}: an amendment without an amend event`);
  const row = await m.getRepository(AmendmentCommitmentDraft).findOneBy({ memorandumId: id });
  if (row && row.amendmentSeq === seq) return { seq, items: row.items, stored: true };
  return { seq, items: (await liveTextCommitments(m, id)).map(draftOf), stored: false };
}

export async function saveDraft(m: EntityManager, memorandumId: string, draft: AmendmentDraft, now: Date) {
  await m
    .getRepository(AmendmentCommitmentDraft)
    .upsert({ memorandumId, amendmentSeq: draft.seq, items: draft.items, updatedAt: now }, ['memorandumId']);
  draft.stored = true;
}

/** The amendment's working (or frozen) revision's term: what its commitments' dates must lie within. */
export async function amendmentTerm(m: EntityManager, ctx: MemorandumInContext): Promise<Term & { number: number }> {
  const r = await m
    .getRepository(MemorandumRevision)
    .findOneByOrFail({ memorandumId: ctx.memorandum.id, number: ctx.memorandum.currentRevisionNumber });
  return { effectiveDate: r.effectiveDate, endDate: r.endDate, timeZone: r.timeZone, number: r.number };
}

export function revisionTermsOfDraft(d: DraftCommitment): RevisionCommitment {
  return {
    key: d.key,
    title: d.title,
    description: d.description,
    clauseRef: d.clauseRef,
    leadOrganisationId: d.leadOrganisationId,
    organisationIds: d.organisationIds,
    target:
      d.targetQuantity !== null && d.targetUnit !== null ? { quantity: d.targetQuantity, unit: d.targetUnit } : null,
    dueDate: d.dueDate,
    rrule: d.rrule,
  };
}

/** The terms a revision froze, as a commitment's terms (null target → no quantity). */
export function termsOfRevision(r: RevisionCommitment): Terms {
  return {
    title: r.title,
    description: r.description,
    clauseRef: r.clauseRef,
    leadOrganisationId: r.leadOrganisationId,
    organisationIds: r.organisationIds,
    targetQuantity: r.target?.quantity ?? null,
    targetUnit: r.target?.unit ?? null,
    dueDate: r.dueDate,
    rrule: r.rrule,
  };
}

/** How a proposed (or removed) commitment reads: the Commitment answer with `amendment` saying what changes. */
export function draftView(
  memorandumId: string,
  revisionNumber: number,
  d: DraftCommitment | null,
  live: Commitment | undefined,
) {
  const t = d ?? (live as Commitment);
  const change: AmendmentChange = !d
    ? 'removed'
    : !live
      ? 'added'
      : changedTerms(termsOf(live), termsOf(d)).length
        ? 'changed'
        : 'unchanged';
  return {
    id: d?.key ?? live!.id,
    memorandumId,
    origin: CommitmentOrigin.Text,
    title: t.title,
    description: t.description,
    clauseRef: t.clauseRef,
    leadOrganisationId: t.leadOrganisationId,
    organisationIds: t.organisationIds,
    target:
      t.targetQuantity !== null && t.targetUnit !== null ? { quantity: t.targetQuantity, unit: t.targetUnit } : null,
    dueDate: t.dueDate,
    rrule: t.rrule,
    status: live?.status ?? 'planned',
    frozenRevisionNumber: live?.frozenRevisionNumber ?? null,
    version: d?.version ?? live!.version,
    createdAt: d ? new Date(d.createdAt) : live!.createdAt,
    updatedAt: d ? new Date(d.updatedAt) : live!.updatedAt,
    allowedActions: [],
    reportIds: [],
    occurrences: [],
    amendment: { revisionNumber, change },
  };
}

/** 409 for a text commitment changed outside an amendment's draft: what to do instead. */
export function textFrozen(ctx: MemorandumInContext): ApiError {
  const id = ctx.memorandum.id;
  if (ctx.state.startsWith('amendment_'))
    return ApiError.conflict(
      'amendment_frozen',
      `The amendment (revision ${ctx.memorandum.currentRevisionNumber}) is submitted for approval and its commitments are frozen: ` +
        `they change again if a party requests changes, or withdraw the amendment (POST /memoranda/${id}/withdraw) and start another`,
      { state: ctx.state, revisionNumber: ctx.memorandum.currentRevisionNumber },
    );
  if (ctx.state === 'active')
    return ApiError.conflict(
      'commitment_frozen',
      `A commitment of the signed text changes only through an amendment: start one (POST /memoranda/${id}/amendments), ` +
        'change the commitment in its draft, and have the parties approve and sign it',
      { state: ctx.state, origin: CommitmentOrigin.Text, allowedActions: ['amend'] },
    );
  return ApiError.conflict(
    'commitment_frozen',
    `A commitment of the text changes only while the memorandum is a draft (it is ${ctx.state})`,
    { state: ctx.state, origin: CommitmentOrigin.Text },
  );
}

/**
 * Text commitments while the memorandum is a draft (an open amendment's draft is routed before this); plan
 * commitments while it is active. An explicit `origin` the state does not allow is refused with what to do.
 */
export function originFor(ctx: MemorandumInContext, wanted: CommitmentOrigin | undefined): CommitmentOrigin {
  if (ctx.state === 'draft' && wanted !== CommitmentOrigin.Plan) return CommitmentOrigin.Text;
  if (ctx.memorandum.status === 'active') {
    if (wanted === CommitmentOrigin.Text) throw textFrozen(ctx);
    return CommitmentOrigin.Plan;
  }
  throw ApiError.conflict(
    'invalid_state',
    `Cannot add a ${wanted ?? ''} commitment: memorandum is ${ctx.state}`.replace('  ', ' '),
    {
      state: ctx.state,
      allowedStates: wanted === CommitmentOrigin.Plan ? ['active'] : ['draft', 'active'],
    },
  );
}
