/**
 * Text commitments in an open amendment's draft: the coordinator adds, changes and removes them with the same
 * requests as in a memorandum's draft (CommitmentsService routes here); nothing live changes until the amendment
 * takes effect (amendment-effect.ts). Each edit is a history event in the memorandum's chain.
 */
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { HistoryService } from '@kelisim/history';
import { Actor } from '@kelisim/identity';
import { RequestMeta } from '@kelisim/memoranda';
import { ApiError, Clock } from '@kelisim/platform';
import { amendmentTerm, draftView, liveTextCommitments, loadDraft, saveDraft } from './amendment-draft';
import { changedTerms, checkTerms, termsData, termsOf, termsOfCreate, termsOfUpdate } from './commitment-terms';
import { CreateCommitmentDto, UpdateCommitmentDto } from './dto/commitment.dto';
import { AmendmentCommitmentDraft, Commitment, DraftCommitment } from './entities';
import { appendFollowUpHistory, loadMemorandum, MemorandumInContext } from './follow-up-context';

export type DraftCommitmentView = ReturnType<typeof draftView>;

@Injectable()
export class AmendmentCommitmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly history: HistoryService,
  ) {}

  /** The memorandum whose open amendment proposes a new commitment with this key (it has no row yet). */
  async memorandumOfKey(m: EntityManager, key: string): Promise<string | null> {
    const rows: { memorandum_id: string }[] = await m.query(
      `SELECT memorandum_id FROM amendment_commitment_drafts
        WHERE items @> jsonb_build_array(jsonb_build_object('key', $1::text)) LIMIT 1`,
      [key.toLowerCase()],
    );
    return rows[0]?.memorandum_id ?? null;
  }

  async add(m: EntityManager, ctx: MemorandumInContext, actor: Actor, dto: CreateCommitmentDto, meta: RequestMeta) {
    const terms = termsOfCreate(dto);
    const term = await amendmentTerm(m, ctx);
    checkTerms(ctx.parties, term, terms);
    const draft = await loadDraft(m, ctx);
    const now = this.clock.now();
    const item: DraftCommitment = {
      key: randomUUID(),
      continues: false,
      ...terms,
      version: 1,
      createdByUserId: actor.userId,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    draft.items = [...draft.items, item];
    await saveDraft(m, ctx.memorandum.id, draft, now);
    await this.event(m, ctx, actor, now, meta, 'commitment.added', item.key, term.number, termsData(terms));
    return draftView(ctx.memorandum.id, term.number, item, undefined);
  }

  async change(
    m: EntityManager,
    ctx: MemorandumInContext,
    actor: Actor,
    key: string,
    dto: UpdateCommitmentDto,
    meta: RequestMeta,
  ) {
    const draft = await loadDraft(m, ctx);
    const item = await this.item(m, ctx, draft.items, key);
    if (dto.version !== item.version)
      throw ApiError.conflict(
        'stale_version',
        `The amendment's version of this commitment is at version ${item.version} (GET /memoranda/${ctx.memorandum.id}/amendment/commitments)`,
        { version: item.version },
      );
    const next = termsOfUpdate(dto, item);
    const term = await amendmentTerm(m, ctx);
    checkTerms(ctx.parties, term, next);
    const changed = changedTerms(termsOf(item), next);
    const now = this.clock.now();
    const updated: DraftCommitment = { ...item, ...next, version: item.version + 1, updatedAt: now.toISOString() };
    draft.items = draft.items.map((d) => (d.key === item.key ? updated : d));
    await saveDraft(m, ctx.memorandum.id, draft, now);
    await this.event(m, ctx, actor, now, meta, 'commitment.updated', item.key, term.number, {
      changed,
      ...termsData(next),
    });
    const live = item.continues
      ? (await liveTextCommitments(m, ctx.memorandum.id)).find((c) => c.id === key)
      : undefined;
    return draftView(ctx.memorandum.id, term.number, updated, live);
  }

  async remove(m: EntityManager, ctx: MemorandumInContext, actor: Actor, key: string, meta: RequestMeta) {
    const draft = await loadDraft(m, ctx);
    const item = await this.item(m, ctx, draft.items, key);
    const term = await amendmentTerm(m, ctx);
    const now = this.clock.now();
    draft.items = draft.items.filter((d) => d.key !== item.key);
    await saveDraft(m, ctx.memorandum.id, draft, now);
    await this.event(m, ctx, actor, now, meta, 'commitment.removed', item.key, term.number, { title: item.title });
  }

  /** The open amendment's text commitments as proposed (removed ones too), and whether its revision is frozen. */
  async list(actor: Actor, memorandumId: string) {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const ctx = await loadMemorandum(m, actor, memorandumId, false);
      if (!ctx.state.startsWith('amendment_'))
        throw ApiError.conflict('no_amendment', `No amendment is open: memorandum is ${ctx.state}`, {
          state: ctx.state,
          allowedActions: ctx.state === 'active' ? ['amend'] : [],
        });
      const draft = await loadDraft(m, ctx);
      const live = await liveTextCommitments(m, memorandumId);
      const n = ctx.memorandum.currentRevisionNumber;
      const items = [
        ...draft.items.map((d) =>
          draftView(memorandumId, n, d, d.continues ? live.find((c) => c.id === d.key) : undefined),
        ),
        ...live.filter((c) => !draft.items.some((d) => d.key === c.id)).map((c) => draftView(memorandumId, n, null, c)),
      ];
      return { revisionNumber: n, frozen: ctx.state !== 'amendment_draft', items };
    });
  }

  /** The proposal's commitment: 409 for a live one the amendment removed, 404 for a key it does not know. */
  private async item(m: EntityManager, ctx: MemorandumInContext, items: DraftCommitment[], key: string) {
    const item = items.find((d) => d.key === key.toLowerCase());
    if (item) return item;
    const live = await m.getRepository(Commitment).findOneBy({ id: key, memorandumId: ctx.memorandum.id });
    if (!live) throw ApiError.notFound('Commitment', key);
    throw ApiError.conflict(
      'commitment_removed',
      live.removedInRevision
        ? `An earlier amendment (revision ${live.removedInRevision}) removed this commitment from the text`
        : 'The amendment has already removed this commitment',
      { commitmentId: key },
    );
  }

  private async event(
    m: EntityManager,
    ctx: MemorandumInContext,
    actor: Actor,
    now: Date,
    meta: RequestMeta,
    action: string,
    key: string,
    revisionNumber: number,
    data: Record<string, unknown>,
  ) {
    await appendFollowUpHistory(this.history, m, ctx, actor, now, meta, {
      action,
      data: { commitmentId: key, amendment: { revisionNumber }, ...data },
    });
  }
}

/** Forgets the amendment's set once it took effect (a withdrawn one's is recognised as stale and replaced). */
export async function dropDraft(m: EntityManager, memorandumId: string): Promise<void> {
  await m.getRepository(AmendmentCommitmentDraft).delete({ memorandumId });
}
