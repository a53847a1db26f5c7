/**
 * Telling people at once (docs/notifications.md, "Telling people at once"): when the lifecycle or follow-up records
 * an event that needs someone, the people who act next get an in-app notice and an e-mail in their language with a
 * link to the page where they act. Reminders (reminder-reactions.ts) come later, only if nothing happens.
 *
 * Each notice is a delivery per (event, user, channel) — the idempotency key `event:<event id>:user:<user>:<channel>`
 * — so an event dispatched twice tells nobody twice, and one event never sends one person two messages. The person
 * whose action recorded the event (`actorUserId`) is not told about it.
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxEvent } from '@kelisim/platform';
import { MemorandumEventType } from '@kelisim/memoranda';
import {
  DeliveriesService,
  MessageVars,
  NoticeTopic,
  NotificationPreferencesService,
  NotificationSettings,
} from '@kelisim/notifications';
import { CommitmentEventType, CommitmentFollowUp } from './commitment-follow-up.port';
import { supervisorsOf } from './commitment-messages';
import { MemorandumDirectory, MemorandumFacts, PartyFacts, Recipient, Recipients } from './memorandum-directory.port';
import type { Reaction } from './reminder-reactions';
import type { AfterCommit } from './after-commit';
import { partiesInTurn } from './turns';

type Stage = 'review' | 'signing';

/** The memorandum page's tab where each notice's reader acts (apps/web router: /app/memoranda/$id?tab=…). */
const TAB: Record<NoticeTopic, string> = {
  review_requested: 'approvals',
  review_for_information: 'text',
  changes_requested: 'approvals',
  party_declined: 'approvals',
  memorandum_approved: 'signing',
  signature_requested: 'signing',
  party_signed: 'signing',
  memorandum_executed: 'overview',
  memorandum_amended: 'overview',
  memorandum_activated: 'commitments',
  memorandum_renewed: 'overview',
  memorandum_terminated: 'overview',
  memorandum_expired: 'overview',
  report_filed: 'commitments',
  overdue_notice: 'commitments',
};

interface Notice {
  topic: NoticeTopic;
  users: Recipient[];
  vars?: Partial<MessageVars>;
}

@Injectable()
export class NoticeReactions {
  constructor(
    private readonly directory: MemorandumDirectory,
    private readonly recipients: Recipients,
    private readonly deliveries: DeliveriesService,
    private readonly preferences: NotificationPreferencesService,
    private readonly settings: NotificationSettings,
    private readonly followUp: CommitmentFollowUp,
  ) {}

  registry(): Map<string, Reaction[]> {
    const r = new Map<string, Reaction[]>();
    const on = (type: string, notices: (m: EntityManager, e: OutboxEvent, f: MemorandumFacts) => Promise<Notice[]>) =>
      r.set(type, [...(r.get(type) ?? []), (m, e, a) => this.tell(m, e, a, notices)]);
    const E = MemorandumEventType;
    on(E.MemorandumSubmitted, (m, e, f) => this.reviewOpened(m, e, f));
    on(E.PartyApproved, (m, e, f) => this.turnPassed(m, e, f, 'review'));
    on(E.PartyRequestedChanges, (m, e, f) => this.toCoordinators(m, f, 'changes_requested', partyName(e, f)));
    on(E.PartyDeclined, (m, e, f) => this.toCoordinators(m, f, 'party_declined', partyName(e, f)));
    on(E.MemorandumApproved, (m, _e, f) => this.toCoordinators(m, f, 'memorandum_approved'));
    on(E.SigningOpened, (m, e, f) => this.signingOpened(m, e, f));
    on(E.SignatureRecorded, (m, e, f) => this.signatureRecorded(m, e, f));
    on(E.MemorandumExecuted, async (m, e, f) =>
      e.payload.amendment
        ? this.toEveryone(m, f, 'memorandum_amended')
        : // Already in force (no effective date, or it has come): the activation's notice says it all.
          f.status === 'active'
          ? []
          : this.toEveryone(m, f, 'memorandum_executed'),
    );
    on(E.MemorandumActivated, (m, _e, f) =>
      this.toEveryone(m, f, 'memorandum_activated', { endDate: f.endDate ?? '' }),
    );
    on(E.MemorandumRenewed, (m, e, f) =>
      this.toEveryone(m, f, 'memorandum_renewed', { endDate: String(e.payload.endDate ?? f.endDate ?? '') }),
    );
    on(E.MemorandumTerminated, (m, e, f) =>
      this.toEveryone(m, f, 'memorandum_terminated', { terminationDate: str(e.payload.terminationDate) }),
    );
    on(E.MemorandumExpired, (m, _e, f) => this.toEveryone(m, f, 'memorandum_expired'));
    on(CommitmentEventType.ReportFiled, (m, e, f) => this.reportFiled(m, e, f));
    on(CommitmentEventType.CommitmentOverdue, (m, e, f) => this.overdue(m, e, f));
    return r;
  }

  /** Writes the event's notices: in-app always, e-mail unless the user turned it off for that kind or gets a digest. */
  private async tell(
    m: EntityManager,
    e: OutboxEvent,
    after: AfterCommit,
    notices: (m: EntityManager, e: OutboxEvent, f: MemorandumFacts) => Promise<Notice[]>,
  ): Promise<void> {
    if (e.aggregateType !== 'memorandum') return;
    const facts = await this.directory.facts(m, e.aggregateId);
    if (!facts) return;
    const actor = str(e.payload.actorUserId);
    const source = { sourceType: 'event' as const, sourceId: e.id, memorandumId: facts.id, timeZone: facts.timeZone };
    const told = new Set<string>(actor ? [actor] : []);
    for (const n of await notices(m, e, facts)) {
      // One message per person per event: the first notice that names someone is theirs.
      const users = n.users.filter((u) => !told.has(u.id));
      users.forEach((u) => told.add(u.id));
      if (!users.length) continue;
      const email = await this.preferences.emailChoice(
        m,
        users.map((u) => u.id),
        n.topic,
      );
      const vars: MessageVars = {
        title: facts.title,
        revisionNumber: Number(e.payload.revisionNumber ?? facts.currentRevisionNumber),
        link: `${this.settings.publicUrl}/app/memoranda/${facts.id}?tab=${TAB[n.topic]}`,
        ...n.vars,
      };
      after.deliveries.push(
        ...(await this.deliveries.notifyUsers(
          m,
          source,
          n.topic,
          users.map((u) => ({ ...u, inAppOnly: email.off.has(u.id), digest: email.digest.has(u.id) })),
          vars,
        )),
      );
    }
  }

  /** Submitted: the representatives of the signatory parties whose turn it is; witnesses and observers for information. */
  private async reviewOpened(m: EntityManager, e: OutboxEvent, f: MemorandumFacts): Promise<Notice[]> {
    if (f.actingStage !== 'review') return [];
    const others = f.parties.filter((p) => p.role !== 'signatory');
    return [
      ...(await this.partiesToAct(m, e, f, 'review', await this.inTurn(m, e, f, 'review'))),
      ...(await this.perParty(
        others,
        (p) => this.recipients.withRole(m, 'party_representative', [p.organisationId]),
        'review_for_information',
      )),
    ];
  }

  private async signingOpened(m: EntityManager, e: OutboxEvent, f: MemorandumFacts): Promise<Notice[]> {
    if (f.actingStage !== 'signing') return [];
    return this.partiesToAct(m, e, f, 'signing', await this.inTurn(m, e, f, 'signing'));
  }

  /**
   * A party's required signatures are complete: in sequential signing, the next parties' signatories are asked to
   * sign; everyone else involved is told that the party signed. The party whose signature completes the memorandum
   * is left to the execution's notice (executed, amended or active), so nobody hears of one signature twice.
   */
  private async signatureRecorded(m: EntityManager, e: OutboxEvent, f: MemorandumFacts): Promise<Notice[]> {
    const party = f.parties.find((p) => p.organisationId === e.payload.organisationId);
    if (!party || party.role !== 'signatory') return [];
    const rev = Number(e.payload.revisionNumber ?? f.currentRevisionNumber);
    const signatories = f.parties.filter((p) => p.role === 'signatory');
    // As of the event: a party's signatures count when its last one came no later than the event.
    const done = new Map(
      [...(await this.directory.finishedParties(m, f.id, 'signing', rev, signatories))].filter(
        ([, at]) => at.getTime() <= e.occurredAt.getTime(),
      ),
    );
    if (!done.has(party.organisationId)) return [];
    if (signatories.every((p) => done.has(p.organisationId))) return [];
    return [
      ...(await this.turnPassed(m, e, f, 'signing')),
      ...(await this.toEveryone(m, f, 'party_signed', { organisationName: party.name })),
    ];
  }

  /**
   * A party finished its turn (approved; signed): in ordered review or sequential signing, the parties whose turn
   * began with it (later in the order) are told. Parties sharing its order number were told when their turn began.
   */
  private async turnPassed(m: EntityManager, e: OutboxEvent, f: MemorandumFacts, stage: Stage): Promise<Notice[]> {
    if (f.actingStage !== stage || !this.inTurns(e, f, stage)) return [];
    const finished = f.parties.find((p) => p.organisationId === e.payload.organisationId);
    if (!finished) return [];
    const next = (await this.inTurn(m, e, f, stage)).filter((p) => p.order > finished.order);
    return this.partiesToAct(m, e, f, stage, next);
  }

  private inTurns(e: OutboxEvent, f: MemorandumFacts, stage: Stage): boolean {
    return stage === 'review'
      ? f.orderedReview
      : ((e.payload.mode as string | undefined) ?? f.signingMode) === 'sequential';
  }

  /**
   * The signatory parties that may act as of the event (all of them, or those whose turn it is). A stage opens on a
   * fresh revision, which nobody has approved or signed yet; later, a party that finished after the event (dispatch
   * lags) is not counted: its own event tells the parties after it.
   */
  private async inTurn(m: EntityManager, e: OutboxEvent, f: MemorandumFacts, stage: Stage): Promise<PartyFacts[]> {
    const signatories = f.parties.filter((p) => p.role === 'signatory');
    const opening = e.type === MemorandumEventType.MemorandumSubmitted || e.type === MemorandumEventType.SigningOpened;
    const rev = Number(e.payload.revisionNumber ?? f.currentRevisionNumber);
    const done = opening
      ? new Map<string, Date>()
      : new Map(
          [...(await this.directory.finishedParties(m, f.id, stage, rev, signatories))].filter(
            ([, at]) => at.getTime() <= e.occurredAt.getTime(),
          ),
        );
    if (!this.inTurns(e, f, stage)) return signatories.filter((p) => !done.has(p.organisationId));
    const turn = partiesInTurn(
      signatories.map((p) => ({
        organisationId: p.organisationId,
        order: p.order,
        doneAt: done.get(p.organisationId) ?? null,
      })),
      e.occurredAt,
    ).map((t) => t.organisationId);
    return signatories.filter((p) => turn.includes(p.organisationId));
  }

  /** Review: the parties' representatives. Signing: their named signatories who have not signed, else their signatories. */
  private async partiesToAct(
    m: EntityManager,
    e: OutboxEvent,
    f: MemorandumFacts,
    stage: Stage,
    parties: PartyFacts[],
  ): Promise<Notice[]> {
    if (stage === 'review')
      return this.perParty(
        parties,
        (p) => this.recipients.withRole(m, 'party_representative', [p.organisationId]),
        'review_requested',
      );
    const rev = Number(e.payload.revisionNumber ?? f.currentRevisionNumber);
    return this.perParty(
      parties,
      async (p) => {
        if (!p.signatoryUserIds.length) return this.recipients.withRole(m, 'signatory', [p.organisationId]);
        const progress = await this.directory.signatureProgress(m, f.id, p.organisationId, rev, p.requiredSignatures);
        return this.recipients.byIds(
          m,
          p.signatoryUserIds.filter((u) => !progress.signerUserIds.includes(u)),
        );
      },
      'signature_requested',
    );
  }

  /** One notice per party, naming it (one statement per party, one after another on the transaction's connection). */
  private async perParty(
    parties: PartyFacts[],
    users: (p: PartyFacts) => Promise<Recipient[]>,
    topic: NoticeTopic,
  ): Promise<Notice[]> {
    const out: Notice[] = [];
    for (const p of parties) out.push({ topic, users: await users(p), vars: { organisationName: p.name } });
    return out;
  }

  private async toCoordinators(
    m: EntityManager,
    f: MemorandumFacts,
    topic: NoticeTopic,
    organisationName?: string,
  ): Promise<Notice[]> {
    return [
      {
        topic,
        users: await this.recipients.withRole(m, 'coordinator', [f.coordinatingOrganisationId]),
        vars: { organisationName },
      },
    ];
  }

  /** Everyone involved: the coordinators, and the representatives and signatories of every party. */
  private async toEveryone(
    m: EntityManager,
    f: MemorandumFacts,
    topic: NoticeTopic,
    vars: Partial<MessageVars> = {},
  ): Promise<Notice[]> {
    const orgs = f.parties.map((p) => p.organisationId);
    const users = [
      ...(await this.recipients.withRole(m, 'coordinator', [f.coordinatingOrganisationId])),
      ...(await this.recipients.withRole(m, 'party_representative', orgs)),
      ...(await this.recipients.withRole(m, 'signatory', orgs)),
      ...(await this.recipients.byIds(m, [...new Set(f.parties.flatMap((p) => p.signatoryUserIds))])),
    ];
    return [{ topic, users, vars }];
  }

  /** A report: the coordinators and the supervisors whose scope covers the memorandum. */
  private async reportFiled(m: EntityManager, e: OutboxEvent, f: MemorandumFacts): Promise<Notice[]> {
    const c = await this.followUp.commitment(m, str(e.payload.commitmentId) ?? '');
    if (!c) return [];
    const reporter = f.parties.find((p) => p.organisationId === e.payload.organisationId);
    const users = [
      ...(await this.recipients.withRole(m, 'coordinator', [f.coordinatingOrganisationId])),
      ...(await supervisorsOf({ directory: this.directory, recipients: this.recipients }, m, f.id)),
    ];
    return [
      {
        topic: 'report_filed',
        users,
        vars: { commitmentTitle: c.title, organisationName: reporter?.name, date: str(e.payload.occurrenceDate) },
      },
    ];
  }

  /**
   * Overdue: the supervisors in scope. The lead party (with the other responsible parties) gets the first overdue
   * reminder at the same moment — the overdue timer sends it once this event is dispatched — so it is not told twice.
   */
  private async overdue(m: EntityManager, e: OutboxEvent, f: MemorandumFacts): Promise<Notice[]> {
    const c = await this.followUp.commitment(m, str(e.payload.commitmentId) ?? '');
    if (!c) return [];
    const lead = f.parties.find((p) => p.organisationId === c.leadOrganisationId);
    return [
      {
        topic: 'overdue_notice',
        users: await supervisorsOf({ directory: this.directory, recipients: this.recipients }, m, f.id),
        vars: { commitmentTitle: c.title, organisationName: lead?.name, date: str(e.payload.occurrenceDate) },
      },
    ];
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function partyName(e: OutboxEvent, f: MemorandumFacts): string | undefined {
  return f.parties.find((p) => p.organisationId === e.payload.organisationId)?.name;
}
