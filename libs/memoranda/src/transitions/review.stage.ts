/** Review: freezing a revision for the parties, and their decisions on it. Functions over the locked memorandum. */
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { Actor, Organisation } from '@kelisim/identity';
import { ApiError } from '@kelisim/platform';
import { MemorandumEventType } from '../memorandum-events';
import { ApprovalDto } from '../dto/memorandum.dto';
import { MemorandumApproval, MemorandumRevision } from '../entities';
import { TransitionRule } from '../lifecycle/memorandum-transitions';
import { CANONICAL_VERSION, frozenRevisionHash, sortParties } from '../revisions/canonical';
import { Decision, PartyRole } from '../vocabulary';
import {
  appendHistory,
  currentFrozenRevision,
  enforceGuards,
  insertRow,
  insertWorkingRevision,
  LockedMemorandum,
  moveTo,
  nextRevisionNumber,
  recordEvent,
  workingRevision,
} from './locked-memorandum';
import { frozenRevisionFacts } from './locked-row';

/** Freezes the working revision with its parties and hash; the parties review that. */
export async function submitForReview(locked: LockedMemorandum, rule: TransitionRule, actor: Actor): Promise<void> {
  const revision = await workingRevision(locked);
  enforceGuards(rule, {
    signatoryPartyCount: locked.parties.filter((p) => p.role === PartyRole.Signatory).length,
    effectiveDate: revision.effectiveDate,
    endDate: revision.endDate,
  });
  // The organisations as they are now are frozen with the revision: a later rename does not change what was agreed.
  const organisations = await locked.manager
    .getRepository(Organisation)
    .findBy({ id: In(locked.parties.map((p) => p.organisationId)) });
  const parties = sortParties(
    locked.parties.map((p) => {
      const o = organisations.find((x) => x.id === p.organisationId);
      return {
        organisationId: p.organisationId,
        role: p.role,
        order: p.order,
        requiredSignatures: p.requiredSignatures,
        name: o?.name ?? '',
        shortName: o?.shortName ?? '',
        bin: o?.bin ?? null,
      };
    }),
  );
  const commitments = await locked.writers.commitments?.freeze(
    locked.manager,
    locked.memorandum.id,
    revision.number,
    parties.map((p) => p.organisationId),
  );
  const canonicalVersion = CANONICAL_VERSION;
  const hash = frozenRevisionHash({ ...revision, canonicalVersion }, parties, commitments);
  await locked.manager
    .getRepository(MemorandumRevision)
    .update(
      { id: revision.id },
      { canonicalVersion, parties, hash, frozenAt: locked.now, frozenByUserId: actor.userId },
    );
  const from = locked.state;
  await moveTo(locked, rule.to);
  await appendHistory(locked, 'submit', from, rule.to, { revisionNumber: revision.number, revisionHash: hash });
  await recordEvent(locked, MemorandumEventType.MemorandumSubmitted, {
    revisionNumber: revision.number,
    revisionHash: hash,
  });
}

async function decisionsOn(locked: LockedMemorandum, revisionNumber: number) {
  return locked.manager
    .getRepository(MemorandumApproval)
    .findBy({ memorandumId: locked.memorandum.id, revisionNumber });
}

/** A party's decision on the frozen revision: approve (the last approval completes review), comment, or back to drafting. */
export async function recordDecision(
  locked: LockedMemorandum,
  rule: TransitionRule,
  actor: Actor,
  dto: ApprovalDto,
): Promise<MemorandumApproval & { memorandumStatus: string }> {
  const m = locked.memorandum;
  const party = locked.parties.find((p) => p.organisationId === actor.organisationId)!;
  const revision = await frozenRevisionFacts(locked);
  const decisions = locked.review?.decisions ?? (await decisionsOn(locked, revision.number));
  const approved = new Set(decisions.filter((d) => d.decision === Decision.Approve).map((d) => d.organisationId));
  const signatories = locked.parties.filter((p) => p.role === PartyRole.Signatory);
  const turnReached =
    !m.orderedReview || signatories.filter((p) => p.order < party.order).every((p) => approved.has(p.organisationId));
  enforceGuards(rule, {
    partyRole: party.role,
    comment: dto.comment ?? null,
    givenRevisionHash: dto.revisionHash,
    currentRevisionHash: revision.hash,
    turnReached,
  });
  if (
    dto.decision !== Decision.Comment &&
    decisions.some((d) => d.organisationId === party.organisationId && d.decision !== Decision.Comment)
  ) {
    throw ApiError.conflict('already_decided', 'Your organisation has already decided on this revision', {
      organisationId: party.organisationId,
      revisionNumber: revision.number,
    });
  }
  const approval: MemorandumApproval = {
    id: randomUUID(),
    memorandumId: m.id,
    revisionNumber: revision.number,
    revisionHash: revision.hash,
    organisationId: party.organisationId,
    decision: dto.decision,
    comment: dto.comment?.trim() || null,
    userId: actor.userId,
    decidedAt: locked.now,
  };
  await insertRow(locked, MemorandumApproval, 'memorandum_approvals', approval);
  const on = { organisationId: party.organisationId, revisionNumber: revision.number, revisionHash: revision.hash };
  const from = locked.state;

  if (dto.decision === Decision.Comment) {
    await moveTo(locked, rule.to);
    await appendHistory(locked, 'comment', from, rule.to, { ...on, data: { comment: approval.comment } });
  } else if (dto.decision === Decision.Approve) {
    approved.add(party.organisationId);
    await moveTo(locked, rule.to);
    await appendHistory(locked, 'approve', from, rule.to, on);
    await recordEvent(locked, MemorandumEventType.PartyApproved, on);
    if (rule.whenComplete && signatories.every((p) => approved.has(p.organisationId))) {
      await moveTo(locked, rule.whenComplete);
      await appendHistory(locked, 'approved', from, rule.whenComplete, {
        revisionNumber: revision.number,
        revisionHash: revision.hash,
        system: true,
      });
      await recordEvent(locked, MemorandumEventType.MemorandumApproved, {
        revisionNumber: revision.number,
        revisionHash: revision.hash,
      });
    }
  } else {
    // Back to drafting: a new working revision copies the frozen one; approvals of the old one no longer count.
    const number = await nextRevisionNumber(locked);
    await insertWorkingRevision(locked, number, revision.kind, await currentFrozenRevision(locked));
    await moveTo(locked, rule.to, { currentRevisionNumber: number });
    await appendHistory(locked, dto.decision, from, rule.to, {
      ...on,
      reason: approval.comment,
      data: { newRevisionNumber: number },
    });
    const event =
      dto.decision === Decision.Decline ? MemorandumEventType.PartyDeclined : MemorandumEventType.PartyRequestedChanges;
    await recordEvent(locked, event, on);
    await recordEvent(locked, MemorandumEventType.ReturnedToDraft, { revisionNumber: number });
  }
  return { ...approval, memorandumStatus: m.status };
}
