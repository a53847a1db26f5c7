/**
 * The one writer of memoranda and of their revisions, parties, approvals and signatures. Every
 * method is one transaction: lock the memorandum row (SELECT … FOR UPDATE), check who acts, the
 * state against the transition table and the rule's guards, write the rows, bump `version` with a
 * conditional UPDATE whose row count is checked, append the history event and record the outbox
 * events — all before commit, so either everything happened or nothing did.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { HistoryService } from '@kelisim/history';
import { Actor, hasRole } from '@kelisim/identity/access/actor';
import { Organisation } from '@kelisim/identity/organisations/organisation.entity';
import { User } from '@kelisim/identity/users/user.entity';
import { Role } from '@kelisim/identity/vocabulary';
import { Clock } from '@kelisim/platform/clock/clock';
import { isCalendarDate, isIanaTimeZone, zonedDate } from '@kelisim/platform/clock/zoned-time';
import { ApiError, FieldError } from '@kelisim/platform/http/api-error';
import { DomainEventPayload, DomainEventType } from '@kelisim/platform/outbox/domain-events';
import { OutboxService } from '@kelisim/platform/outbox/outbox.service';
import {
  AddPartyDto, AmendmentDto, ApprovalDto, CreateMemorandumDto, OpenSigningDto, ReasonDto, RenewDto, SignatureDto, TerminateDto, UpdateMemorandumDto,
} from './dto/memorandum.dto';
import { MemorandumApproval, Memorandum, MemorandumParty, MemorandumRevision, MemorandumSignature } from './entities';
import {
  checkGuards, columnsOf, decide, GuardContext, isAmendmentState, LifecycleAction, LifecycleState, lifecycleStateOf, Refusal, TransitionRule,
} from './lifecycle/memorandum-transitions';
import { canSee, isCoordinatorOf } from './memorandum-access';
import { foldName, sameName } from './names';
import { revisionHash, sortParties } from './revisions/canonical';
import { Decision, DEFAULT_TIME_ZONE, MemorandumStatus, PartyRole, SignatureMethod } from './vocabulary';

export interface RequestMeta {
  requestId: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export type TimedAction = 'activate' | 'expire' | 'terminate';

const TIMED_ACTIONS: Record<TimedAction, LifecycleAction> = {
  activate: LifecycleAction.Activate,
  expire: LifecycleAction.Expire,
  terminate: LifecycleAction.TerminateOnDate,
};

interface Tx {
  manager: EntityManager;
  m: Memorandum;
  parties: MemorandumParty[];
  state: LifecycleState;
  now: Date;
  meta: RequestMeta;
  actor: Actor | null;
}

function refuse(r: Refusal): ApiError {
  return new ApiError(r.status, r.code, r.message, r.details);
}

function termErrors(terms: { timeZone: string; effectiveDate: string | null; endDate: string | null }): FieldError[] {
  const errors: FieldError[] = [];
  if (!isIanaTimeZone(terms.timeZone)) errors.push({ field: 'timeZone', message: 'must be an IANA time zone such as Asia/Almaty' });
  if (terms.effectiveDate && !isCalendarDate(terms.effectiveDate)) errors.push({ field: 'effectiveDate', message: 'must be a real calendar date' });
  if (terms.endDate && !isCalendarDate(terms.endDate)) errors.push({ field: 'endDate', message: 'must be a real calendar date' });
  if (!errors.length && terms.effectiveDate && terms.endDate && terms.endDate <= terms.effectiveDate) errors.push({ field: 'endDate', message: 'must be after effectiveDate' });
  return errors;
}

const TERM_FIELDS = ['title', 'purpose', 'body', 'language', 'timeZone', 'effectiveDate', 'endDate'] as const;

@Injectable()
export class MemorandumTransitionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
    private readonly history: HistoryService,
  ) {}

  // ---------------------------------------------------------------- creation and drafting

  async create(actor: Actor, dto: CreateMemorandumDto, meta: RequestMeta): Promise<Memorandum> {
    if (!hasRole(actor, Role.Coordinator) || dto.coordinatingOrganisationId !== actor.organisationId) {
      throw ApiError.forbidden('A coordinator creates memoranda for their own organisation only', 'not_coordinator');
    }
    const terms = { timeZone: dto.timeZone ?? DEFAULT_TIME_ZONE, effectiveDate: dto.effectiveDate ?? null, endDate: dto.endDate ?? null };
    const errors = termErrors(terms);
    if (errors.length) throw ApiError.unprocessable('invalid_terms', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    const now = this.clock.now();
    return this.db.transaction(async (manager) => {
      const m = await manager.getRepository(Memorandum).save(manager.getRepository(Memorandum).create({
        title: dto.title, purpose: dto.purpose, body: dto.body, language: dto.language, ...terms,
        coordinatingOrganisationId: dto.coordinatingOrganisationId, status: MemorandumStatus.Draft, amendmentStatus: null,
        orderedReview: dto.orderedReview ?? false, version: 1, currentRevisionNumber: 1, executedRevisionNumber: null,
        createdByUserId: actor.userId, createdAt: now, updatedAt: now,
      }));
      await manager.getRepository(MemorandumRevision).insert({
        memorandumId: m.id, number: 1, kind: 'original', title: m.title, purpose: m.purpose, body: m.body, language: m.language,
        timeZone: m.timeZone, effectiveDate: m.effectiveDate, endDate: m.endDate, parties: null, hash: null, frozenAt: null, createdAt: now,
      });
      // The INSERT holds the new row's lock until commit, which is what the history chain needs.
      await this.appendHistory({ manager, m, parties: [], state: MemorandumStatus.Draft, now, meta, actor }, 'create', null, MemorandumStatus.Draft, { revisionNumber: 1 });
      return m;
    });
  }

  async update(actor: Actor, id: string, dto: UpdateMemorandumDto, ifMatch: string | undefined, meta: RequestMeta): Promise<void> {
    const expected = this.expectedVersion(ifMatch, dto.version);
    await this.transition(id, actor, LifecycleAction.Edit, meta, async (tx, rule) => {
      if (tx.m.version !== expected) {
        throw ApiError.conflict('stale_version', `The memorandum changed since version ${expected}; reload it`, { currentVersion: tx.m.version, givenVersion: expected });
      }
      const revision = await this.workingRevision(tx);
      const patch: Partial<Pick<MemorandumRevision, (typeof TERM_FIELDS)[number]>> = {};
      for (const f of TERM_FIELDS) if (dto[f] !== undefined) (patch as Record<string, unknown>)[f] = dto[f];
      const next = { ...revision, ...patch };
      const errors = termErrors(next);
      if (errors.length) throw ApiError.unprocessable('invalid_terms', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
      if (Object.keys(patch).length) await tx.manager.getRepository(MemorandumRevision).update({ id: revision.id }, patch);
      // Before the first execution the memorandum shows its working terms; an amendment edits only its revision.
      const columns: Partial<Memorandum> = isAmendmentState(tx.state) ? {} : { ...patch } as Partial<Memorandum>;
      if (dto.orderedReview !== undefined) columns.orderedReview = dto.orderedReview;
      await this.moveTo(tx, rule.to, columns);
      await this.appendHistory(tx, 'edit', tx.state, rule.to, { revisionNumber: revision.number, data: { fields: Object.entries(dto).filter(([k, v]) => k !== 'version' && v !== undefined).map(([k]) => k) } });
    });
  }

  async addParty(actor: Actor, id: string, dto: AddPartyDto, meta: RequestMeta): Promise<MemorandumParty> {
    return this.transition(id, actor, LifecycleAction.Edit, meta, async (tx, rule) => {
      const organisation = await tx.manager.getRepository(Organisation).findOneBy({ id: dto.organisationId });
      if (!organisation || !organisation.active) {
        throw ApiError.unprocessable('organisation_not_found', `Organisation ${dto.organisationId} does not exist or is inactive`, [{ field: 'organisationId', message: 'no such active organisation' }]);
      }
      if (tx.parties.some((p) => p.organisationId === dto.organisationId)) {
        throw ApiError.conflict('party_exists', 'This organisation is already a party', { organisationId: dto.organisationId });
      }
      const signatoryUserIds = dto.signatoryUserIds ?? [];
      if (dto.role !== PartyRole.Signatory && (signatoryUserIds.length || dto.requiredSignatures !== undefined)) {
        throw ApiError.unprocessable('not_a_signatory_party', 'Only signatory parties have signatories and required signatures', [{ field: 'signatoryUserIds', message: 'only for role signatory' }]);
      }
      if (signatoryUserIds.length) {
        const users = await tx.manager.getRepository(User).createQueryBuilder('u').where('u.id IN (:...ids)', { ids: signatoryUserIds }).getMany();
        const invalid = signatoryUserIds.filter((uid) => {
          const u = users.find((x) => x.id === uid);
          return !u || !u.active || u.organisationId !== dto.organisationId || !u.roles.includes(Role.Signatory);
        });
        if (invalid.length) {
          throw ApiError.unprocessable('invalid_signatory', 'Named signatories must be active users of the party organisation holding the signatory role',
            invalid.map((uid) => ({ field: 'signatoryUserIds', message: `${uid} is not a signatory of this organisation` })));
        }
      }
      const requiredSignatures = dto.requiredSignatures ?? 1;
      if (signatoryUserIds.length && signatoryUserIds.length < requiredSignatures) {
        throw ApiError.unprocessable('too_few_signatories', 'Fewer named signatories than required signatures', [{ field: 'signatoryUserIds', message: `name at least ${requiredSignatures}` }]);
      }
      const order = dto.order ?? (tx.parties.reduce((max, p) => Math.max(max, p.order), 0) + 1);
      const party = tx.manager.getRepository(MemorandumParty).create({
        memorandumId: tx.m.id, organisationId: dto.organisationId, role: dto.role, order, requiredSignatures, signatoryUserIds, createdAt: tx.now,
      });
      await tx.manager.getRepository(MemorandumParty).insert(party);
      await this.moveTo(tx, rule.to);
      await this.appendHistory(tx, 'add_party', tx.state, rule.to, { organisationId: dto.organisationId, data: { role: dto.role, order, requiredSignatures } });
      return party;
    });
  }

  async removeParty(actor: Actor, id: string, organisationId: string, meta: RequestMeta): Promise<void> {
    await this.transition(id, actor, LifecycleAction.Edit, meta, async (tx, rule) => {
      const res = await tx.manager.getRepository(MemorandumParty).delete({ memorandumId: tx.m.id, organisationId });
      if (!res.affected) throw ApiError.notFound('Party', organisationId);
      await this.moveTo(tx, rule.to);
      await this.appendHistory(tx, 'remove_party', tx.state, rule.to, { organisationId });
    });
  }

  // ---------------------------------------------------------------- review

  async submit(actor: Actor, id: string, meta: RequestMeta): Promise<void> {
    await this.transition(id, actor, LifecycleAction.Submit, meta, async (tx, rule) => {
      const revision = await this.workingRevision(tx);
      this.guard(rule, {
        signatoryPartyCount: tx.parties.filter((p) => p.role === PartyRole.Signatory).length,
        effectiveDate: revision.effectiveDate, endDate: revision.endDate,
      });
      const parties = sortParties(tx.parties.map((p) => ({ organisationId: p.organisationId, role: p.role, order: p.order, requiredSignatures: p.requiredSignatures })));
      const hash = revisionHash({ ...revision, parties });
      await tx.manager.getRepository(MemorandumRevision).update({ id: revision.id }, { parties, hash, frozenAt: tx.now, frozenByUserId: actor.userId });
      await this.moveTo(tx, rule.to);
      await this.appendHistory(tx, 'submit', tx.state, rule.to, { revisionNumber: revision.number, revisionHash: hash });
      await this.record(tx, DomainEventType.MemorandumSubmitted, { revisionNumber: revision.number, revisionHash: hash });
    });
  }

  async decide(actor: Actor, id: string, dto: ApprovalDto, meta: RequestMeta): Promise<MemorandumApproval & { memorandumStatus: string }> {
    const action = dto.decision as unknown as LifecycleAction;
    return this.transition(id, actor, action, meta, async (tx, rule) => {
      const party = tx.parties.find((p) => p.organisationId === actor.organisationId)!;
      const revision = await this.currentFrozenRevision(tx);
      const decisions = await tx.manager.getRepository(MemorandumApproval).findBy({ memorandumId: tx.m.id, revisionNumber: revision.number });
      const approved = new Set(decisions.filter((d) => d.decision === Decision.Approve).map((d) => d.organisationId));
      const signatories = tx.parties.filter((p) => p.role === PartyRole.Signatory);
      const turnReached = !tx.m.orderedReview || signatories.filter((p) => p.order < party.order).every((p) => approved.has(p.organisationId));
      this.guard(rule, {
        partyRole: party.role, comment: dto.comment ?? null, givenRevisionHash: dto.revisionHash, currentRevisionHash: revision.hash, turnReached,
      });
      if (dto.decision !== Decision.Comment && decisions.some((d) => d.organisationId === party.organisationId && d.decision !== Decision.Comment)) {
        throw ApiError.conflict('already_decided', 'Your organisation has already decided on this revision', { organisationId: party.organisationId, revisionNumber: revision.number });
      }
      const approval = tx.manager.getRepository(MemorandumApproval).create({
        memorandumId: tx.m.id, revisionNumber: revision.number, revisionHash: revision.hash!, organisationId: party.organisationId,
        decision: dto.decision, comment: dto.comment?.trim() || null, userId: actor.userId, decidedAt: tx.now,
      });
      await tx.manager.getRepository(MemorandumApproval).insert(approval);
      const on = { organisationId: party.organisationId, revisionNumber: revision.number, revisionHash: revision.hash! };
      const from = tx.state;

      if (dto.decision === Decision.Comment) {
        await this.moveTo(tx, rule.to);
        await this.appendHistory(tx, 'comment', from, rule.to, { ...on, data: { comment: approval.comment } });
      } else if (dto.decision === Decision.Approve) {
        approved.add(party.organisationId);
        await this.moveTo(tx, rule.to);
        await this.appendHistory(tx, 'approve', from, rule.to, on);
        await this.record(tx, DomainEventType.PartyApproved, on);
        if (rule.whenComplete && signatories.every((p) => approved.has(p.organisationId))) {
          await this.moveTo(tx, rule.whenComplete);
          await this.appendHistory(tx, 'approved', from, rule.whenComplete, { revisionNumber: revision.number, revisionHash: revision.hash, system: true });
          await this.record(tx, DomainEventType.MemorandumApproved, { revisionNumber: revision.number, revisionHash: revision.hash! });
        }
      } else {
        // Back to drafting: a new working revision copies the frozen one; approvals of the old one no longer count.
        const number = await this.nextRevisionNumber(tx);
        await tx.manager.getRepository(MemorandumRevision).insert({
          memorandumId: tx.m.id, number, kind: revision.kind, title: revision.title, purpose: revision.purpose, body: revision.body,
          language: revision.language, timeZone: revision.timeZone, effectiveDate: revision.effectiveDate, endDate: revision.endDate,
          parties: null, hash: null, frozenAt: null, createdAt: tx.now,
        });
        await this.moveTo(tx, rule.to, { currentRevisionNumber: number });
        await this.appendHistory(tx, dto.decision, from, rule.to, { ...on, reason: approval.comment, data: { newRevisionNumber: number } });
        await this.record(tx, dto.decision === Decision.Decline ? DomainEventType.PartyDeclined : DomainEventType.PartyRequestedChanges, on);
        await this.record(tx, DomainEventType.ReturnedToDraft, { revisionNumber: number });
      }
      return { ...approval, memorandumStatus: tx.m.status };
    });
  }

  // ---------------------------------------------------------------- signing

  async openSigning(actor: Actor, id: string, dto: OpenSigningDto, meta: RequestMeta): Promise<void> {
    await this.transition(id, actor, LifecycleAction.OpenSigning, meta, async (tx, rule) => {
      const ceremony = dto.ceremony ? { date: dto.ceremony.date, place: dto.ceremony.place } : null;
      await this.moveTo(tx, rule.to, { signingMode: dto.mode, ceremony });
      await this.appendHistory(tx, 'open_signing', tx.state, rule.to, { revisionNumber: tx.m.currentRevisionNumber, data: { mode: dto.mode, ceremony } });
      await this.record(tx, DomainEventType.SigningOpened, { revisionNumber: tx.m.currentRevisionNumber, mode: dto.mode });
    });
  }

  async sign(actor: Actor, id: string, dto: SignatureDto, meta: RequestMeta): Promise<MemorandumSignature & { memorandumStatus: string }> {
    this.checkSignatureShape(dto);
    return this.transition(id, actor, LifecycleAction.Sign, meta, async (tx, rule) => {
      const electronic = dto.method === SignatureMethod.Electronic;
      const organisationId = electronic ? actor.organisationId : dto.organisationId!;
      const party = tx.parties.find((p) => p.organisationId === organisationId);
      if (!party) {
        throw ApiError.unprocessable('not_a_party', `Organisation ${organisationId} is not a party to this memorandum`, [{ field: 'organisationId', message: 'not a party' }]);
      }
      const revision = await this.currentFrozenRevision(tx);
      const signatures = await tx.manager.getRepository(MemorandumSignature).findBy({ memorandumId: tx.m.id, revisionNumber: revision.number });
      const count = (orgId: string) => signatures.filter((s) => s.organisationId === orgId).length;
      const signatories = tx.parties.filter((p) => p.role === PartyRole.Signatory);
      const turnReached = tx.m.signingMode !== 'sequential' || signatories.filter((p) => p.order < party.order).every((p) => count(p.organisationId) >= p.requiredSignatures);
      this.guard(rule, {
        partyRole: party.role, givenRevisionHash: dto.revisionHash, currentRevisionHash: revision.hash, turnReached,
        endDate: revision.endDate, today: zonedDate(tx.now, tx.m.timeZone),
      });

      let signerKey: string;
      let signerName: string;
      if (electronic) {
        if (party.signatoryUserIds.length && !party.signatoryUserIds.includes(actor.userId)) {
          throw ApiError.forbidden('You are not a named signatory of your organisation for this memorandum', 'not_a_named_signatory');
        }
        if (!sameName(dto.typedName!, actor.fullName)) {
          throw ApiError.unprocessable('typed_name_mismatch', 'The typed name must be your full name', [{ field: 'typedName', message: 'does not match your full name' }]);
        }
        signerKey = `user:${actor.userId}`;
        signerName = actor.fullName;
      } else {
        if (new Date(dto.signedAt!).getTime() > tx.now.getTime() + 5 * 60_000) {
          throw ApiError.unprocessable('signed_in_future', 'A ceremony signature cannot be dated in the future', [{ field: 'signedAt', message: 'is in the future' }]);
        }
        signerName = dto.signerName!;
        signerKey = `name:${foldName(signerName)}`.slice(0, 300);
      }
      if (signatures.some((s) => s.organisationId === organisationId && s.signerKey === signerKey)) {
        throw ApiError.conflict('already_signed', 'This signer has already signed this revision for the party', { organisationId });
      }
      if (count(organisationId) >= party.requiredSignatures) {
        throw ApiError.conflict('party_signatures_complete', 'This party already has all its required signatures', { organisationId, requiredSignatures: party.requiredSignatures });
      }
      const signature = tx.manager.getRepository(MemorandumSignature).create({
        memorandumId: tx.m.id, revisionNumber: revision.number, revisionHash: revision.hash!, organisationId, method: dto.method as SignatureMethod,
        slot: count(organisationId) + 1, requiredSignatures: party.requiredSignatures, signerKey, signerName,
        signerUserId: electronic ? actor.userId : null, typedName: electronic ? dto.typedName! : null, consent: electronic ? true : null,
        signedAt: electronic ? tx.now : new Date(dto.signedAt!), recordedAt: tx.now, recordedByUserId: actor.userId,
        ipAddress: electronic ? (tx.meta.ip ?? null) : null, userAgent: electronic ? (tx.meta.userAgent?.slice(0, 500) ?? null) : null,
        place: electronic ? null : dto.place!, evidenceReference: electronic ? null : dto.evidence!.reference, evidenceSha256: electronic ? null : dto.evidence!.sha256,
      });
      await tx.manager.getRepository(MemorandumSignature).insert(signature);
      signatures.push(signature);
      const on = { organisationId, revisionNumber: revision.number, revisionHash: revision.hash! };
      const from = tx.state;
      await this.moveTo(tx, rule.to);
      await this.appendHistory(tx, 'sign', from, rule.to, { ...on, data: { signatureId: signature.id, method: dto.method, signerName } });
      await this.record(tx, DomainEventType.SignatureRecorded, { ...on, signatureId: signature.id });

      if (rule.whenComplete && signatories.every((p) => count(p.organisationId) >= p.requiredSignatures)) {
        await this.execute(tx, from, rule.whenComplete, revision);
      }
      return { ...signature, memorandumStatus: tx.m.status };
    }, dto.method as SignatureMethod);
  }

  /** All required signatures exist: executed (and active at once if the effective date has come), or an amendment takes effect. */
  private async execute(tx: Tx, from: LifecycleState, to: LifecycleState, revision: MemorandumRevision): Promise<void> {
    const ids = { revisionNumber: revision.number, revisionHash: revision.hash! };
    if (isAmendmentState(from)) {
      await this.moveTo(tx, to, {
        executedRevisionNumber: revision.number, title: revision.title, purpose: revision.purpose, body: revision.body, language: revision.language,
        timeZone: revision.timeZone, effectiveDate: revision.effectiveDate, endDate: revision.endDate,
      });
      await this.appendHistory(tx, 'executed', from, to, { ...ids, system: true, data: { amendment: true } });
      await this.record(tx, DomainEventType.MemorandumExecuted, { ...ids, amendment: true });
      return;
    }
    await this.moveTo(tx, to, { executedRevisionNumber: revision.number });
    await this.appendHistory(tx, 'executed', from, to, { ...ids, system: true });
    await this.record(tx, DomainEventType.MemorandumExecuted, ids);
    await this.activateIfDue(tx);
  }

  private async activateIfDue(tx: Tx): Promise<boolean> {
    const d = decide(tx.state, LifecycleAction.Activate);
    if (!d.ok) return false;
    const today = zonedDate(tx.now, tx.m.timeZone);
    if (checkGuards(d.rule, { effectiveDate: tx.m.effectiveDate, today })) return false;
    const from = tx.state;
    await this.moveTo(tx, d.rule.to);
    await this.appendHistory(tx, 'activated', from, d.rule.to, { revisionNumber: tx.m.executedRevisionNumber, system: true, data: { effectiveDate: tx.m.effectiveDate } });
    await this.record(tx, DomainEventType.MemorandumActivated, { revisionNumber: tx.m.executedRevisionNumber ?? undefined });
    return true;
  }

  // ---------------------------------------------------------------- ending, renewing, amending

  async withdraw(actor: Actor, id: string, dto: ReasonDto, meta: RequestMeta): Promise<void> {
    await this.transition(id, actor, LifecycleAction.Withdraw, meta, async (tx, rule) => {
      this.guard(rule, { reason: dto.reason });
      const from = tx.state;
      if (isAmendmentState(from)) {
        const amendmentRevision = tx.m.currentRevisionNumber;
        await this.moveTo(tx, rule.to, await this.closeAmendment(tx));
        await this.appendHistory(tx, 'withdraw_amendment', from, rule.to, { reason: dto.reason!.trim(), revisionNumber: amendmentRevision });
        await this.record(tx, DomainEventType.MemorandumWithdrawn, { revisionNumber: amendmentRevision, amendment: true });
        return;
      }
      await this.moveTo(tx, rule.to);
      await this.appendHistory(tx, 'withdraw', from, rule.to, { reason: dto.reason!.trim(), revisionNumber: tx.m.currentRevisionNumber });
      await this.record(tx, DomainEventType.MemorandumWithdrawn, { revisionNumber: tx.m.currentRevisionNumber });
    });
  }

  /**
   * Terminates at once when the termination date (default: today in the memorandum's time zone)
   * has come; a future date leaves the memorandum in force with the termination pending, and the
   * schedule's `termination` item completes it at 00:00 of that date (applyTimedTransition).
   */
  async terminate(actor: Actor, id: string, dto: TerminateDto, meta: RequestMeta): Promise<void> {
    await this.transition(id, actor, LifecycleAction.Terminate, meta, async (tx, rule) => {
      this.guard(rule, { reason: dto.reason, pendingTerminationDate: tx.m.pendingTerminationDate });
      const today = zonedDate(tx.now, tx.m.timeZone);
      const date = dto.effectiveDate ?? today;
      // Not before the memorandum took effect, nor before it existed (a termination dated 1900 is a typo, not a fact).
      const earliest = [tx.m.effectiveDate, zonedDate(tx.m.createdAt, tx.m.timeZone)].filter((d): d is string => !!d).sort().pop()!;
      if (!isCalendarDate(date) || date < earliest) {
        throw ApiError.unprocessable('invalid_termination_date', `The termination date must be a real date not before ${earliest}`, [{ field: 'effectiveDate', message: `must not be before ${earliest}` }]);
      }
      const from = tx.state;
      const reason = dto.reason!.trim();
      if (rule.deferredTo && date > today) {
        await this.moveTo(tx, from, { pendingTerminationDate: date, pendingTerminationReason: reason });
        await this.appendHistory(tx, 'schedule_termination', from, from, { reason, revisionNumber: tx.m.executedRevisionNumber, data: { terminationDate: date } });
        await this.record(tx, DomainEventType.TerminationScheduled, { revisionNumber: tx.m.executedRevisionNumber ?? undefined, terminationDate: date, reason });
        return;
      }
      await this.moveTo(tx, rule.to, { terminationDate: date, ...(isAmendmentState(from) ? await this.closeAmendment(tx) : {}) });
      await this.appendHistory(tx, 'terminate', from, rule.to, { reason, revisionNumber: tx.m.executedRevisionNumber, data: { terminationDate: date } });
      await this.record(tx, DomainEventType.MemorandumTerminated, { revisionNumber: tx.m.executedRevisionNumber ?? undefined, terminationDate: date });
    });
  }

  async renew(actor: Actor, id: string, dto: RenewDto, meta: RequestMeta): Promise<void> {
    if (!isCalendarDate(dto.endDate)) throw ApiError.validation([{ field: 'endDate', message: 'must be a real calendar date' }]);
    await this.transition(id, actor, LifecycleAction.Renew, meta, async (tx, rule) => {
      this.guard(rule, { endDate: tx.m.endDate, effectiveDate: tx.m.effectiveDate, newEndDate: dto.endDate });
      const previous = tx.m.endDate;
      await this.moveTo(tx, rule.to, { endDate: dto.endDate });
      await this.appendHistory(tx, 'renew', tx.state, rule.to, { revisionNumber: tx.m.executedRevisionNumber, data: { previousEndDate: previous, endDate: dto.endDate } });
      await this.record(tx, DomainEventType.MemorandumRenewed, { revisionNumber: tx.m.executedRevisionNumber ?? undefined, endDate: dto.endDate });
    });
  }

  async amend(actor: Actor, id: string, dto: AmendmentDto, meta: RequestMeta): Promise<{ revisionNumber: number }> {
    return this.transition(id, actor, LifecycleAction.Amend, meta, async (tx, rule) => {
      const number = await this.nextRevisionNumber(tx);
      const m = tx.m;
      await tx.manager.getRepository(MemorandumRevision).insert({
        memorandumId: m.id, number, kind: 'amendment', title: m.title, purpose: m.purpose, body: m.body, language: m.language, timeZone: m.timeZone,
        effectiveDate: m.effectiveDate, endDate: m.endDate, parties: null, hash: null, frozenAt: null, createdAt: tx.now,
      });
      await this.moveTo(tx, rule.to, { currentRevisionNumber: number, signingMode: null, ceremony: null });
      await this.appendHistory(tx, 'amend', MemorandumStatus.Active, rule.to, { revisionNumber: number, reason: dto.reason?.trim() || null });
      await this.record(tx, DomainEventType.AmendmentStarted, { revisionNumber: number });
      return { revisionNumber: number };
    });
  }

  /**
   * For the timers (libs/reminders): activate at the effective date, expire at the end date,
   * terminate at the date of a pending termination.
   * Idempotent: 'skipped' when the state no longer allows it or the date has not come.
   */
  async applyTimedTransition(memorandumId: string, action: TimedAction, at: Date): Promise<'applied' | 'skipped'> {
    return this.db.transaction(async (manager) => {
      const tx = await this.lock(manager, memorandumId, null, { requestId: null });
      if (!tx) return 'skipped';
      tx.now = at;
      const d = decide(tx.state, TIMED_ACTIONS[action]);
      if (!d.ok) return 'skipped';
      const today = zonedDate(at, tx.m.timeZone);
      if (checkGuards(d.rule, { today, effectiveDate: tx.m.effectiveDate, endDate: tx.m.endDate, pendingTerminationDate: tx.m.pendingTerminationDate })) return 'skipped';
      if (action === 'activate') return (await this.activateIfDue(tx)) ? 'applied' : 'skipped';
      const from = tx.state;
      const closing = isAmendmentState(from) ? await this.closeAmendment(tx) : {};
      const noLongerPending = { pendingTerminationDate: null, pendingTerminationReason: null };
      if (action === 'terminate') {
        const date = tx.m.pendingTerminationDate!;
        const reason = tx.m.pendingTerminationReason;
        await this.moveTo(tx, d.rule.to, { ...closing, ...noLongerPending, terminationDate: date });
        await this.appendHistory(tx, 'terminated', from, d.rule.to, { reason, revisionNumber: tx.m.executedRevisionNumber, system: true, data: { terminationDate: date } });
        await this.record(tx, DomainEventType.MemorandumTerminated, { revisionNumber: tx.m.executedRevisionNumber ?? undefined, terminationDate: date, scheduled: true });
        return 'applied';
      }
      // An expiry before the termination date ends the memorandum first; the termination no longer comes.
      await this.moveTo(tx, d.rule.to, { ...closing, ...noLongerPending });
      await this.appendHistory(tx, 'expired', from, d.rule.to, { revisionNumber: tx.m.executedRevisionNumber, system: true, data: { endDate: tx.m.endDate } });
      await this.record(tx, DomainEventType.MemorandumExpired, { revisionNumber: tx.m.executedRevisionNumber ?? undefined });
      return 'applied';
    });
  }

  // ---------------------------------------------------------------- the transaction frame

  /**
   * Locks the memorandum, then checks in this order: visible to the actor (else 404), the actor may
   * perform the action for this memorandum (else 403), the state allows it (else 409
   * invalid_transition); the work checks the rule's guards and writes.
   */
  private transition<T>(
    id: string, actor: Actor, action: LifecycleAction, meta: RequestMeta, work: (tx: Tx, rule: TransitionRule) => Promise<T>, method?: SignatureMethod,
  ): Promise<T> {
    return this.db.transaction(async (manager) => {
      const tx = await this.lock(manager, id, actor, meta);
      if (!tx || !canSee(actor, { coordinatingOrganisationId: tx.m.coordinatingOrganisationId, parties: tx.parties })) throw ApiError.notFound('Memorandum', id);
      this.authorise(tx, actor, action, method);
      const d = decide(tx.state, action);
      if (!d.ok) throw refuse(d.refusal);
      return work(tx, d.rule);
    });
  }

  private authorise(tx: Tx, actor: Actor, action: LifecycleAction, method?: SignatureMethod): void {
    const view = { coordinatingOrganisationId: tx.m.coordinatingOrganisationId, parties: tx.parties };
    switch (action) {
      case LifecycleAction.Approve: case LifecycleAction.RequestChanges: case LifecycleAction.Decline: case LifecycleAction.Comment:
        if (!hasRole(actor, Role.PartyRepresentative)) throw ApiError.forbidden('Only party representatives decide on a revision', 'missing_role', { requiredRoles: [Role.PartyRepresentative] });
        if (!tx.parties.some((p) => p.organisationId === actor.organisationId)) throw ApiError.forbidden('Your organisation is not a party to this memorandum', 'not_a_party');
        return;
      case LifecycleAction.Sign:
        if (method === SignatureMethod.InPerson) {
          if (!isCoordinatorOf(actor, view)) throw ApiError.forbidden('Only a coordinator of the coordinating organisation records ceremony signatures', 'not_coordinator');
          return;
        }
        if (!hasRole(actor, Role.Signatory)) throw ApiError.forbidden('Only signatories sign electronically', 'missing_role', { requiredRoles: [Role.Signatory] });
        if (!tx.parties.some((p) => p.organisationId === actor.organisationId)) throw ApiError.forbidden('Your organisation is not a party to this memorandum', 'not_a_party');
        return;
      default:
        if (!isCoordinatorOf(actor, view)) throw ApiError.forbidden('Only a coordinator of the coordinating organisation may do this', 'not_coordinator');
    }
  }

  private async lock(manager: EntityManager, id: string, actor: Actor | null, meta: RequestMeta): Promise<Tx | null> {
    const m = await manager.getRepository(Memorandum).createQueryBuilder('m').setLock('pessimistic_write').where('m.id = :id', { id }).getOne();
    if (!m) return null;
    const parties = await manager.getRepository(MemorandumParty).find({ where: { memorandumId: id }, order: { order: 'ASC', organisationId: 'ASC' } });
    return { manager, m, parties, state: lifecycleStateOf(m), now: this.clock.now(), meta, actor };
  }

  private guard(rule: TransitionRule, context: GuardContext): void {
    const refusal = checkGuards(rule, context);
    if (refusal) throw refuse(refusal);
  }

  /** Conditional UPDATE on the version read under the lock; a lost race fails loudly instead of overwriting. */
  private async moveTo(tx: Tx, to: LifecycleState, columns: Partial<Memorandum> = {}): Promise<void> {
    const state = columnsOf(to);
    const res = await tx.manager.createQueryBuilder().update(Memorandum)
      .set({ ...columns, ...state, updatedAt: tx.now, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id: tx.m.id, version: tx.m.version })
      .execute();
    if (res.affected !== 1) throw ApiError.conflict('concurrent_update', 'Another request changed this memorandum at the same time; retry');
    Object.assign(tx.m, columns, state, { updatedAt: tx.now, version: tx.m.version + 1 });
    tx.state = to;
  }

  private async appendHistory(
    tx: Tx, action: string, from: LifecycleState | null, to: LifecycleState | null,
    extra: { organisationId?: string | null; revisionNumber?: number | null; revisionHash?: string | null; reason?: string | null; data?: Record<string, unknown>; system?: boolean } = {},
  ): Promise<void> {
    const actor = extra.system ? null : tx.actor;
    await this.history.append(tx.manager, {
      memorandumId: tx.m.id, action, fromStatus: from, toStatus: to,
      actorUserId: actor?.userId ?? null, actorName: actor?.fullName ?? null,
      organisationId: extra.organisationId ?? actor?.organisationId ?? null,
      revisionNumber: extra.revisionNumber ?? null, revisionHash: extra.revisionHash ?? null, reason: extra.reason ?? null,
      requestId: tx.meta.requestId, at: tx.now, ...(extra.data ? { data: extra.data } : {}),
    });
  }

  private async record(tx: Tx, type: DomainEventType, payload: Omit<DomainEventPayload, 'memorandumId'>): Promise<void> {
    const clean = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined && v !== null));
    await this.outbox.record(tx.manager, {
      type, aggregateType: 'memorandum', aggregateId: tx.m.id,
      payload: { memorandumId: tx.m.id, ...clean, ...(tx.actor ? { actorUserId: tx.actor.userId } : {}) },
    });
  }

  private async workingRevision(tx: Tx): Promise<MemorandumRevision> {
    const r = await tx.manager.getRepository(MemorandumRevision).findOneBy({ memorandumId: tx.m.id, number: tx.m.currentRevisionNumber });
    if (!r || r.frozenAt) throw new Error(`memorandum ${tx.m.id}: revision ${tx.m.currentRevisionNumber} is not a working revision in state ${tx.state}`);
    return r;
  }

  private async currentFrozenRevision(tx: Tx): Promise<MemorandumRevision> {
    const r = await tx.manager.getRepository(MemorandumRevision).findOneBy({ memorandumId: tx.m.id, number: tx.m.currentRevisionNumber });
    if (!r || !r.hash) throw new Error(`memorandum ${tx.m.id}: revision ${tx.m.currentRevisionNumber} is not frozen in state ${tx.state}`);
    return r;
  }

  /**
   * An open amendment ends without taking effect (withdrawn, or the memorandum ends): its unfrozen
   * working revision goes, frozen ones stay on record, and the executed revision is current again.
   */
  private async closeAmendment(tx: Tx): Promise<Partial<Memorandum>> {
    await tx.manager.getRepository(MemorandumRevision).createQueryBuilder().delete()
      .where('memorandum_id = :id AND number = :n AND frozen_at IS NULL', { id: tx.m.id, n: tx.m.currentRevisionNumber }).execute();
    return { currentRevisionNumber: tx.m.executedRevisionNumber!, signingMode: null, ceremony: null };
  }

  private async nextRevisionNumber(tx: Tx): Promise<number> {
    const [{ max }] = await tx.manager.query('SELECT COALESCE(MAX(number), 0)::int AS max FROM memorandum_revisions WHERE memorandum_id = $1', [tx.m.id]);
    return max + 1;
  }

  private expectedVersion(ifMatch: string | undefined, bodyVersion: number | undefined): number {
    if (ifMatch !== undefined) {
      const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
      if (!m) throw ApiError.validation([{ field: 'If-Match', message: 'must be the memorandum version, e.g. If-Match: 3' }]);
      const v = Number(m[1]);
      if (bodyVersion !== undefined && bodyVersion !== v) throw ApiError.validation([{ field: 'version', message: 'differs from If-Match' }]);
      return v;
    }
    if (bodyVersion !== undefined) return bodyVersion;
    throw new ApiError(428, 'version_required', 'Send the version you edit: If-Match: <version> or { "version": <version> }');
  }

  private checkSignatureShape(dto: SignatureDto): void {
    const electronic = ['typedName', 'consent'] as const;
    const inPerson = ['organisationId', 'signerName', 'signedAt', 'place', 'evidence'] as const;
    const [need, forbid] = dto.method === SignatureMethod.Electronic ? [electronic, inPerson] : [inPerson, electronic];
    const errors: FieldError[] = [
      ...need.filter((f) => dto[f] === undefined || dto[f] === null).map((f) => ({ field: f, message: `is required for method ${dto.method}` })),
      ...forbid.filter((f) => dto[f] !== undefined).map((f) => ({ field: f, message: `is not allowed for method ${dto.method}` })),
    ];
    if (errors.length) throw ApiError.validation(errors);
  }
}

