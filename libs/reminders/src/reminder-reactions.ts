import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { addDays, OutboxEvent, zonedDateTime } from '@kelisim/platform';
import { MemorandumEventType } from '@kelisim/memoranda';
import { DeliveriesService } from '@kelisim/notifications';
import { dedupeKey } from './dedupe-key';
import { MemorandumDirectory, MemorandumFacts } from './memorandum-directory.port';
import { firstReminder } from './policies';
import { ReminderSettings } from './reminder-settings';
import { AfterCommit, NewItem, ScheduleService } from './schedule.service';
import { ScheduledItemKind as K } from './scheduled-item.entity';
import { partiesInTurn } from './turns';

/** A reaction runs inside the dispatcher's transaction for one outbox event. */
export type Reaction = (m: EntityManager, event: OutboxEvent, after: AfterCommit) => Promise<void>;

const REVIEW_ITEMS = [K.ApprovalReminder, K.Escalation];
const SIGNING_ITEMS = [K.SignatureReminder, K.Escalation];

/**
 * What the schedule does when the lifecycle records an event (docs/reminders.md, "What happens
 * when"), plus the webhook fan-out of every event to the memorandum's organisations.
 * Every reaction is idempotent: schedules use dedupe keys, cancellations are conditional updates.
 */
@Injectable()
export class ReminderReactions {
  constructor(
    private readonly schedule: ScheduleService,
    private readonly directory: MemorandumDirectory,
    private readonly deliveries: DeliveriesService,
    private readonly settings: ReminderSettings,
  ) {}

  /** Event type → reactions, in order. `*` runs for every event. */
  registry(): Map<string, Reaction[]> {
    const r = new Map<string, Reaction[]>();
    const on = (type: string, reaction: Reaction) => r.set(type, [...(r.get(type) ?? []), reaction]);
    on(MemorandumEventType.MemorandumSubmitted, (m, e, a) => this.reviewOpened(m, e, a));
    for (const t of [
      MemorandumEventType.PartyApproved,
      MemorandumEventType.PartyDeclined,
      MemorandumEventType.PartyRequestedChanges,
    ]) {
      on(t, (m, e) => this.cancelParty(m, e, REVIEW_ITEMS, 'review', `party decided (${e.type})`));
    }
    on(MemorandumEventType.PartyApproved, (m, e, a) => this.turnPassed(m, e, a, 'review'));
    on(MemorandumEventType.MemorandumApproved, (m, e) => this.cancelStage(m, e, REVIEW_ITEMS, 'review'));
    on(MemorandumEventType.ReturnedToDraft, (m, e) =>
      this.cancelStage(m, e, [...REVIEW_ITEMS, K.SignatureReminder], undefined),
    );
    on(MemorandumEventType.SigningOpened, (m, e, a) => this.signingOpened(m, e, a));
    on(MemorandumEventType.SignatureRecorded, (m, e, a) => this.signatureRecorded(m, e, a));
    on(MemorandumEventType.MemorandumExecuted, (m, e, a) => this.executed(m, e, a));
    on(MemorandumEventType.MemorandumRenewed, (m, e, a) => this.renewed(m, e, a));
    on(MemorandumEventType.TerminationScheduled, (m, e, a) => this.terminationScheduled(m, e, a));
    for (const t of [
      MemorandumEventType.MemorandumWithdrawn,
      MemorandumEventType.MemorandumTerminated,
      MemorandumEventType.MemorandumExpired,
    ]) {
      on(
        t,
        async (m, e) => void (await this.schedule.cancel(m, { memorandumId: e.aggregateId, kinds: ended(e) }, e.type)),
      );
    }
    on('*', (m, e, a) => this.webhooks(m, e, a));
    return r;
  }

  private facts(m: EntityManager, e: OutboxEvent): Promise<MemorandumFacts | null> {
    return this.directory.facts(m, e.aggregateId);
  }

  private revision(e: OutboxEvent, facts: MemorandumFacts | null): number {
    return Number(e.payload.revisionNumber ?? facts?.currentRevisionNumber ?? 0);
  }

  private async reviewOpened(m: EntityManager, e: OutboxEvent, after: AfterCommit) {
    await this.startSeries(m, e, after, 'review');
  }

  private async signingOpened(m: EntityManager, e: OutboxEvent, after: AfterCommit) {
    await this.schedule.cancel(m, { memorandumId: e.aggregateId, kinds: REVIEW_ITEMS, stage: 'review' }, e.type);
    await this.startSeries(m, e, after, 'signing');
  }

  /** Ordered review, or sequential signing: parties act one after another (memorandum-transitions' `turn_reached`). */
  private inTurns(e: OutboxEvent, facts: MemorandumFacts, stage: 'review' | 'signing'): boolean {
    return stage === 'review'
      ? facts.orderedReview
      : ((e.payload.mode as string | undefined) ?? facts.signingMode) === 'sequential';
  }

  /**
   * First reminder, `intervalDays` after the stage opened, for every signatory party — or, in
   * ordered review and sequential signing, only for the parties whose turn it is, `intervalDays`
   * after their turn began. Dedupe keys are per party and revision, so a party's series starts once.
   */
  private async startSeries(m: EntityManager, e: OutboxEvent, after: AfterCommit, stage: 'review' | 'signing') {
    const facts = await this.facts(m, e);
    if (!facts) return;
    const policy = await this.schedule.policy(m, e.aggregateId, stage);
    if (firstReminder(policy, e.occurredAt).step === 'none') return;
    const rev = this.revision(e, facts);
    const signatories = facts.parties.filter((p) => p.role === 'signatory');
    let starts: { organisationId: string; since: Date }[];
    if (this.inTurns(e, facts, stage)) {
      const done = await this.directory.finishedParties(m, e.aggregateId, stage, rev, signatories);
      starts = partiesInTurn(
        signatories.map((p) => ({
          organisationId: p.organisationId,
          order: p.order,
          doneAt: done.get(p.organisationId) ?? null,
        })),
        e.occurredAt,
      );
    } else {
      starts = signatories.map((p) => ({ organisationId: p.organisationId, since: e.occurredAt }));
    }
    const items: NewItem[] = [];
    for (const { organisationId, since } of starts) {
      const step = firstReminder(policy, since);
      if (step.step === 'none') continue;
      const series = { stage, memorandumId: e.aggregateId, organisationId, revisionNumber: rev };
      const base = {
        memorandumId: e.aggregateId,
        organisationId,
        revisionNumber: rev,
        dueAt: step.dueAt,
        data: { stage },
      };
      items.push(
        step.step === 'reminder'
          ? {
              ...base,
              kind: stage === 'review' ? K.ApprovalReminder : K.SignatureReminder,
              sequence: 1,
              dedupeKey: dedupeKey({ kind: 'reminder', ...series, sequence: 1 }),
            }
          : { ...base, kind: K.Escalation, sequence: 0, dedupeKey: dedupeKey({ kind: 'escalation', ...series }) },
      );
    }
    await this.schedule.schedule(m, after, ...items);
  }

  /**
   * A party finished its turn (approved; signed all its required signatures): in ordered review or
   * sequential signing, the parties whose turn has now come start their series. Nothing happens
   * when the memorandum has left the stage meanwhile (its own event cancels what is left).
   */
  private async turnPassed(m: EntityManager, e: OutboxEvent, after: AfterCommit, stage: 'review' | 'signing') {
    const facts = await this.facts(m, e);
    if (!facts || !this.inTurns(e, facts, stage)) return;
    if (facts.actingStage !== stage) return;
    await this.startSeries(m, e, after, stage);
  }

  private async cancelParty(m: EntityManager, e: OutboxEvent, kinds: K[], stage: 'review' | 'signing', reason: string) {
    const org = e.payload.organisationId as string | undefined;
    if (!org) return;
    await this.schedule.cancel(m, { memorandumId: e.aggregateId, organisationId: org, kinds, stage }, reason);
  }

  private async cancelStage(m: EntityManager, e: OutboxEvent, kinds: K[], stage: 'review' | 'signing' | undefined) {
    await this.schedule.cancel(m, { memorandumId: e.aggregateId, kinds, stage }, e.type);
  }

  /** A party is done when its required signatures are all there. */
  private async signatureRecorded(m: EntityManager, e: OutboxEvent, after: AfterCommit) {
    const org = e.payload.organisationId as string | undefined;
    if (!org) return;
    const facts = await this.facts(m, e);
    const party = facts?.parties.find((p) => p.organisationId === org);
    const progress = party
      ? await this.directory.signatureProgress(m, e.aggregateId, org, this.revision(e, facts), party.requiredSignatures)
      : null;
    if (progress && !progress.complete) return;
    await this.cancelParty(m, e, SIGNING_ITEMS, 'signing', 'party signed');
    await this.turnPassed(m, e, after, 'signing');
  }

  /** Executed: activation at the effective date, notices before the end date, expiry at it (dates in the memorandum's time zone). */
  private async executed(m: EntityManager, e: OutboxEvent, after: AfterCommit) {
    await this.schedule.cancel(
      m,
      { memorandumId: e.aggregateId, kinds: [...SIGNING_ITEMS, K.ApprovalReminder] },
      e.type,
    );
    const facts = await this.facts(m, e);
    if (!facts) return;
    // An executed amendment may move the end date: notices and expiry for another end date go.
    await this.schedule.cancel(
      m,
      { memorandumId: e.aggregateId, kinds: [K.TermNotice, K.Expiry], endDateNot: facts.endDate },
      'end date changed',
    );
    const items: NewItem[] = [];
    const base = { memorandumId: e.aggregateId, revisionNumber: this.revision(e, facts) };
    const activateAt = facts.effectiveDate ? zonedDateTime(facts.effectiveDate, 0, 0, facts.timeZone) : e.occurredAt;
    items.push({
      ...base,
      kind: K.Activation,
      dueAt: activateAt,
      dedupeKey: dedupeKey({
        kind: 'activation',
        memorandumId: e.aggregateId,
        effectiveDate: facts.effectiveDate,
        revisionNumber: base.revisionNumber,
      }),
      data: { effectiveDate: facts.effectiveDate },
    });
    items.push(...(await this.termItems(m, e, facts)));
    await this.schedule.schedule(m, after, ...items);
  }

  private async renewed(m: EntityManager, e: OutboxEvent, after: AfterCommit) {
    const facts = await this.facts(m, e);
    if (!facts) return;
    await this.schedule.cancel(
      m,
      { memorandumId: e.aggregateId, kinds: [K.TermNotice, K.Expiry], endDateNot: facts.endDate },
      e.type,
    );
    await this.schedule.schedule(m, after, ...(await this.termItems(m, e, facts)));
  }

  /** A termination given for a future date: the timer that ends the memorandum at 00:00 of that date, in its time zone. */
  private async terminationScheduled(m: EntityManager, e: OutboxEvent, after: AfterCommit) {
    const date = e.payload.terminationDate as string | undefined;
    if (!date) return;
    const facts = await this.facts(m, e);
    const timeZone = facts?.timeZone ?? this.settings.defaultTimeZone;
    await this.schedule.schedule(m, after, {
      memorandumId: e.aggregateId,
      kind: K.Termination,
      revisionNumber: this.revision(e, facts),
      dueAt: zonedDateTime(date, 0, 0, timeZone),
      dedupeKey: dedupeKey({ kind: 'termination', memorandumId: e.aggregateId, terminationDate: date }),
      data: { terminationDate: date },
    });
  }

  /** Notices `offsetsDays` before the end date at 09:00, and the expiry at the start of the end date. */
  private async termItems(m: EntityManager, e: OutboxEvent, facts: MemorandumFacts): Promise<NewItem[]> {
    if (!facts.endDate) return [];
    const end = facts.endDate;
    const items: NewItem[] = [
      {
        memorandumId: e.aggregateId,
        kind: K.Expiry,
        dueAt: zonedDateTime(end, 0, 0, facts.timeZone),
        dedupeKey: dedupeKey({ kind: 'expiry', memorandumId: e.aggregateId, endDate: end }),
        data: { endDate: end },
      },
    ];
    const policy = await this.schedule.policy(m, e.aggregateId, 'term_end');
    if (policy.enabled) {
      for (const days of policy.offsetsDays ?? []) {
        const dueAt = zonedDateTime(addDays(end, -days), 9, 0, facts.timeZone);
        if (dueAt.getTime() < e.occurredAt.getTime()) continue; // a notice whose day has passed is not sent late
        items.push({
          memorandumId: e.aggregateId,
          kind: K.TermNotice,
          dueAt,
          sequence: days,
          dedupeKey: dedupeKey({ kind: 'term_notice', memorandumId: e.aggregateId, endDate: end, daysBefore: days }),
          data: { endDate: end, daysBefore: days },
        });
      }
    }
    return items;
  }

  /** Every event goes to the webhooks of the memorandum's organisations that subscribed to it. */
  private async webhooks(m: EntityManager, e: OutboxEvent, after: AfterCommit) {
    if (e.aggregateType !== 'memorandum') return;
    const facts = await this.facts(m, e);
    const orgs = [
      ...(facts?.parties.map((p) => p.organisationId) ?? []),
      facts?.coordinatingOrganisationId ?? '',
      (e.payload.organisationId as string) ?? '',
    ];
    const timeZone = facts?.timeZone ?? this.settings.defaultTimeZone;
    after.deliveries.push(...(await this.deliveries.notifyWebhooksOfEvent(m, e, orgs, timeZone)));
  }
}

/**
 * What an end cancels: an expiry its term's items; a withdrawn amendment only its review and signing (the
 * memorandum stays in force with its term items and commitment reminders); a withdrawal or termination all.
 */
function ended(e: OutboxEvent): K[] | undefined {
  if (e.type === MemorandumEventType.MemorandumExpired)
    return [K.TermNotice, K.Activation, K.Expiry, K.Termination, ...REVIEW_ITEMS, K.SignatureReminder];
  return e.type === MemorandumEventType.MemorandumWithdrawn && e.payload.amendment
    ? [...SIGNING_ITEMS, K.ApprovalReminder]
    : undefined;
}
