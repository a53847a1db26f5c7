/**
 * The one writer of memoranda and of their revisions, parties, approvals and signatures: the frame.
 * Every entry point is one transaction: lock the memorandum row (SELECT … FOR UPDATE), admit the
 * actor (memorandum-access.ts: visibility 404 → performer 403 → state 409), then hand the locked
 * memorandum and the table's rule to a stage (transitions/*.stage.ts), which checks the rule's
 * guards, writes the rows, moves the state with a version-checked UPDATE, appends the history event
 * and records the outbox events — all before commit, so either everything happened or nothing did.
 */
import { HttpStatus, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { HistoryService } from '@kelisim/history';
import { Actor, hasRole, Role } from '@kelisim/identity';
import { ApiError, Clock, ExpectedVersion, isCalendarDate, OutboxService, zonedDate } from '@kelisim/platform';
import {
  AddPartyDto,
  AmendmentDto,
  ApprovalDto,
  CreateMemorandumDto,
  OpenSigningDto,
  ReasonDto,
  RenewDto,
  TerminateDto,
  UpdateMemorandumDto,
} from './dto/memorandum.dto';
import { SignatureDto } from './dto/signature.dto';
import { Memorandum, MemorandumApproval, MemorandumParty, MemorandumRevision, MemorandumSignature } from './entities';
import {
  checkGuards,
  decide,
  LifecycleAction,
  lifecycleStateOf,
  TransitionRule,
} from './lifecycle/memorandum-transitions';
import { admit } from './memorandum-access';
import { canSee } from './memorandum-visibility';
import { readMemorandum } from './memorandum-rows';
import { frozenRevisionBytes } from './revisions/revision-bytes';
import { SignatureRefused, SignatureVerifier, SignatureVerifierUnavailable } from './signatures/signature-verifier';
import { toTranslations } from './dto/translations.dto';
import { RevisionCommitments } from './revisions/canonical-commitments';
import { addParty, assertValidTerms, createDraft, editTerms, removeParty } from './transitions/drafting.stage';
import { LockedMemorandum, RequestMeta, refusalError, TransitionWriters } from './transitions/locked-memorandum';
import { flushWrites, lockRow } from './transitions/locked-row';
import { recordDecision, submitForReview } from './transitions/review.stage';
import { SignatureTimestamper, TimestampInvalid, TimestampUnavailable } from './signatures/timestamp';
import { activateIfDue, openSigning, sign, VerifiedDigital } from './transitions/signing.stage';
import { amend, endOnTimer, renew, terminate, withdraw } from './transitions/term.stage';
import { DEFAULT_TIME_ZONE, SignatureMethod } from './vocabulary';

export type { RequestMeta } from './transitions/locked-memorandum';

/** The same error with its field errors named under `prefix` (`organisationId` → `parties[2].organisationId`). */
export function prefixFieldErrors(e: unknown, prefix: string): unknown {
  if (!(e instanceof ApiError)) return e;
  const fields = e.fieldErrors?.length ? e.fieldErrors : [{ field: '', message: e.message }];
  const named = fields.map((f) => ({ field: f.field ? `${prefix}.${f.field}` : prefix, message: f.message }));
  const message = named.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new ApiError(e.getStatus(), e.code, message, e.details, named);
}

/** The schedule's timed actions (libs/reminders `TimedAction`) as actions of the table. */
const TIMED_ACTIONS = {
  activate: LifecycleAction.Activate,
  expire: LifecycleAction.Expire,
  terminate: LifecycleAction.TerminateOnDate,
} as const;

type Stage<T> = (locked: LockedMemorandum, rule: TransitionRule) => Promise<T>;

@Injectable()
export class MemorandumTransitionsService {
  private readonly writers: TransitionWriters;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    outbox: OutboxService,
    history: HistoryService,
    private readonly verifier: SignatureVerifier,
    @Optional() private readonly commitments?: RevisionCommitments,
    @Optional() private readonly timestamper?: SignatureTimestamper,
  ) {
    this.writers = { outbox, history, ...(commitments ? { commitments } : {}) };
  }

  /**
   * `origin`: the template version it is made from (libs/templates), recorded on the memorandum;
   * its `parties` are added and its `record` runs in the same transaction (what the template library keeps
   * about the instance, the commitments it makes): a refusal of any of them leaves nothing written.
   * A refused party names its place (`parties[<i>].<field>`).
   */
  async create(
    actor: Actor,
    dto: CreateMemorandumDto,
    meta: RequestMeta,
    origin: {
      templateId: string;
      templateVersion: number;
      parties?: AddPartyDto[];
      record?: (manager: EntityManager, memorandumId: string) => Promise<void>;
    } | null = null,
  ): Promise<Memorandum> {
    if (!hasRole(actor, Role.Coordinator) || dto.coordinatingOrganisationId !== actor.organisationId) {
      throw ApiError.forbidden('A coordinator creates memoranda for their own organisation only', 'not_coordinator');
    }
    const terms = {
      timeZone: dto.timeZone ?? DEFAULT_TIME_ZONE,
      effectiveDate: dto.effectiveDate ?? null,
      endDate: dto.endDate ?? null,
    };
    assertValidTerms(terms);
    const translations = toTranslations(dto.translations, dto.language);
    const now = this.clock.now();
    const template = origin ? { templateId: origin.templateId, templateVersion: origin.templateVersion } : {};
    return this.db.transaction(async (manager) => {
      const m = await createDraft(
        manager,
        this.writers,
        actor,
        dto,
        { ...terms, translations, ...template },
        now,
        meta,
      );
      if (origin?.parties?.length) await this.addPartiesOfNewDraft(manager, actor, m.id, origin.parties, meta);
      if (origin?.record) await origin.record(manager, m.id);
      return m;
    });
  }

  async update(
    actor: Actor,
    id: string,
    dto: UpdateMemorandumDto,
    expected: ExpectedVersion,
    meta: RequestMeta,
  ): Promise<void> {
    await this.transition(id, actor, LifecycleAction.Edit, meta, (locked, rule) =>
      editTerms(locked, rule, dto, expected),
    );
  }

  addParty(actor: Actor, id: string, dto: AddPartyDto, meta: RequestMeta): Promise<MemorandumParty> {
    return this.transition(id, actor, LifecycleAction.Edit, meta, (locked, rule) => addParty(locked, rule, dto));
  }

  async removeParty(actor: Actor, id: string, organisationId: string, meta: RequestMeta): Promise<void> {
    await this.transition(id, actor, LifecycleAction.Edit, meta, (locked, rule) =>
      removeParty(locked, rule, organisationId),
    );
  }

  async submit(actor: Actor, id: string, meta: RequestMeta): Promise<void> {
    await this.transition(id, actor, LifecycleAction.Submit, meta, (locked, rule) =>
      submitForReview(locked, rule, actor),
    );
  }

  recordDecision(
    actor: Actor,
    id: string,
    dto: ApprovalDto,
    meta: RequestMeta,
  ): Promise<MemorandumApproval & { memorandumStatus: string }> {
    const action = dto.decision as unknown as LifecycleAction;
    return this.transition(id, actor, action, meta, (locked, rule) => recordDecision(locked, rule, actor, dto));
  }

  async openSigning(actor: Actor, id: string, dto: OpenSigningDto, meta: RequestMeta): Promise<void> {
    await this.transition(id, actor, LifecycleAction.OpenSigning, meta, (locked, rule) =>
      openSigning(locked, rule, dto),
    );
  }

  async sign(
    actor: Actor,
    id: string,
    dto: SignatureDto,
    meta: RequestMeta,
  ): Promise<MemorandumSignature & { memorandumStatus: string }> {
    const method = dto.method as SignatureMethod;
    const digital = method === SignatureMethod.Digital ? await this.verifyDigital(actor, id, dto) : null;
    return this.transition(
      id,
      actor,
      LifecycleAction.Sign,
      meta,
      (locked, rule) => sign(locked, rule, actor, dto, digital),
      method,
    );
  }

  /**
   * The CMS checked against the bytes of the revision it names, before the transaction (a verifier
   * may be a remote service; the memorandum's lock is not held meanwhile). Binding the certificate to
   * the signatory and the party, and the revision being the one in signing, are checked under the lock.
   * Null when the memorandum has no frozen revision with that hash: the transition refuses it.
   */
  private async verifyDigital(actor: Actor, id: string, dto: SignatureDto): Promise<VerifiedDigital | null> {
    const read = await readMemorandum(this.db, id);
    const view = read && {
      id: read.m.id,
      coordinatingOrganisationId: read.m.coordinatingOrganisationId,
      parties: read.parties,
    };
    if (!view || !canSee(actor, view)) throw ApiError.notFound('Memorandum', id);
    const revision = await this.db
      .getRepository(MemorandumRevision)
      .findOneBy({ memorandumId: id, hash: dto.revisionHash });
    if (!revision?.frozenAt) return null;
    const cms = Buffer.from(dto.cms!, 'base64');
    const content = await frozenRevisionBytes(this.db.manager, this.commitments, revision);
    try {
      const verified = await this.verifier.verify({
        cms,
        content,
        revisionHash: revision.hash!,
        now: this.clock.now(),
        notBefore: revision.frozenAt,
      });
      const timestamp = (await this.timestamper?.stamp(cms, this.clock.now())) ?? null;
      return {
        cms: timestamp?.cms ?? cms,
        revisionHash: revision.hash!,
        verified,
        timestamp: timestamp && { token: timestamp.token, genTime: timestamp.genTime },
      };
    } catch (e) {
      if (e instanceof SignatureRefused)
        throw ApiError.unprocessable('signature_refused', `cms: ${e.message}`, [{ field: 'cms', message: e.message }]);
      if (e instanceof SignatureVerifierUnavailable)
        throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'signature_verifier_unavailable', e.message);
      // SIGNATURE_TSA=require: the signature is not registered without its timestamp.
      if (e instanceof TimestampUnavailable)
        throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'signature_timestamp_unavailable', e.message);
      if (e instanceof TimestampInvalid)
        throw new ApiError(HttpStatus.BAD_GATEWAY, 'signature_timestamp_invalid', e.message);
      throw e;
    }
  }

  async withdraw(actor: Actor, id: string, dto: ReasonDto, meta: RequestMeta): Promise<void> {
    await this.transition(id, actor, LifecycleAction.Withdraw, meta, (locked, rule) => withdraw(locked, rule, dto));
  }

  async terminate(actor: Actor, id: string, dto: TerminateDto, meta: RequestMeta): Promise<void> {
    await this.transition(id, actor, LifecycleAction.Terminate, meta, (locked, rule) => terminate(locked, rule, dto));
  }

  async renew(actor: Actor, id: string, dto: RenewDto, meta: RequestMeta): Promise<void> {
    if (!isCalendarDate(dto.endDate))
      throw ApiError.validation([{ field: 'endDate', message: 'must be a real calendar date' }]);
    await this.transition(id, actor, LifecycleAction.Renew, meta, (locked, rule) => renew(locked, rule, dto));
  }

  amend(actor: Actor, id: string, dto: AmendmentDto, meta: RequestMeta): Promise<{ revisionNumber: number }> {
    return this.transition(id, actor, LifecycleAction.Amend, meta, (locked, rule) => amend(locked, rule, dto));
  }

  /**
   * For the timers (libs/reminders): activate at the effective date, expire at the end date,
   * terminate at the date of a pending termination.
   * Idempotent: 'skipped' when the state no longer allows it or the date has not come.
   */
  async applyTimedTransition(
    memorandumId: string,
    action: keyof typeof TIMED_ACTIONS,
    at: Date,
  ): Promise<'applied' | 'skipped'> {
    return this.db.transaction(async (manager) => {
      const locked = await this.lock(manager, memorandumId, null, { requestId: null });
      if (!locked) return 'skipped';
      locked.now = at;
      const d = decide(locked.state, TIMED_ACTIONS[action]);
      if (!d.ok) return 'skipped';
      const m = locked.memorandum;
      const today = zonedDate(at, m.timeZone);
      const context = {
        today,
        effectiveDate: m.effectiveDate,
        endDate: m.endDate,
        pendingTerminationDate: m.pendingTerminationDate,
      };
      if (checkGuards(d.rule, context)) return 'skipped';
      if (action === 'activate') {
        const activated = await activateIfDue(locked);
        await flushWrites(locked);
        return activated ? 'applied' : 'skipped';
      }
      await endOnTimer(locked, d.rule);
      await flushWrites(locked);
      return 'applied';
    });
  }

  /** The parties of a draft made in this transaction, in order; a refusal names the party's index. */
  private async addPartiesOfNewDraft(
    manager: EntityManager,
    actor: Actor,
    id: string,
    parties: AddPartyDto[],
    meta: RequestMeta,
  ): Promise<void> {
    const locked = (await this.lock(manager, id, actor, meta))!;
    const d = decide(locked.state, LifecycleAction.Edit);
    if (!d.ok) throw refusalError(d.refusal);
    for (const [i, dto] of parties.entries()) {
      try {
        locked.parties.push(await addParty(locked, d.rule, dto));
      } catch (e) {
        throw prefixFieldErrors(e, `parties[${i}]`);
      }
    }
    await flushWrites(locked);
  }

  /** Lock, admit (404 → 403 → 409), then the stage (guards 422/409, writes). */
  private transition<T>(
    id: string,
    actor: Actor,
    action: LifecycleAction,
    meta: RequestMeta,
    stage: Stage<T>,
    method?: SignatureMethod,
  ): Promise<T> {
    return this.db.transaction(async (manager) => {
      const locked = await this.lock(manager, id, actor, meta);
      if (!locked) throw ApiError.notFound('Memorandum', id);
      const view = {
        id: locked.memorandum.id,
        coordinatingOrganisationId: locked.memorandum.coordinatingOrganisationId,
        parties: locked.parties,
      };
      const admission = admit(actor, view, locked.state, action, method);
      if (!admission.ok) {
        if (admission.refusal.status === 404) throw ApiError.notFound('Memorandum', id);
        throw refusalError(admission.refusal);
      }
      const result = await stage(locked, admission.rule);
      await flushWrites(locked);
      return result;
    });
  }

  private async lock(
    manager: EntityManager,
    id: string,
    actor: Actor | null,
    meta: RequestMeta,
  ): Promise<LockedMemorandum | null> {
    const row = await lockRow(manager, id);
    if (!row) return null;
    const { memorandum, parties, head, current, decisions, signatures } = row;
    return {
      manager,
      memorandum,
      parties,
      state: lifecycleStateOf(memorandum),
      now: this.clock.now(),
      meta,
      actor,
      writers: this.writers,
      review: { current, decisions, signatures },
      pending: { version: memorandum.version, moves: 0, columns: {}, rows: [], head, history: [], events: [] },
    };
  }
}
