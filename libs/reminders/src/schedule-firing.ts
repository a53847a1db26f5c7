import { Logger } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock, OutboxService } from '@kelisim/platform';
import { DeliveriesService, UserNotice, WebhookNotice } from '@kelisim/notifications';
import { AfterCommit, NewItem } from './after-commit';
import { CommitmentFollowUp } from './commitment-follow-up.port';
import { MemorandumDirectory, Recipients } from './memorandum-directory.port';
import { effectivePolicy } from './policies';
import { ReminderPolicy } from './reminder-policy.entity';
import { MessagingContext } from './messaging-context';
import { sendDueMessage } from './reminder-messages';
import {
  itemFromRow,
  ScheduledItem,
  ScheduledItemKind,
  ScheduledItemRow,
  ScheduledItemStatus,
} from './scheduled-item.entity';
import { TimedAction, TimedTransitions } from './timed-transitions';

export type FireOutcome = 'fired' | 'skipped' | 'not_due' | 'deferred';

const OPEN = [ScheduledItemStatus.Pending, ScheduledItemStatus.Enqueued];
/** Due items fired per transaction (one statement per step for all of them). */
const FIRE_BATCH = 200;
/** How many ids of items fired by batches a process remembers, so that their timers cost no statement. */
const FIRED_HERE_MAX = 200_000;
/** Items that only send messages (and schedule the next): these are fired in batches. */
const MESSAGE_KINDS = [
  ScheduledItemKind.ApprovalReminder,
  ScheduledItemKind.SignatureReminder,
  ScheduledItemKind.Escalation,
  ScheduledItemKind.TermNotice,
  ScheduledItemKind.CommitmentDue,
  ScheduledItemKind.CommitmentOverdueReminder,
  ScheduledItemKind.CommitmentEscalation,
];
/** Items that are the lifecycle's timed transitions rather than messages. */
const TIMED_KINDS: Partial<Record<ScheduledItemKind, TimedAction>> = {
  [ScheduledItemKind.Activation]: 'activate',
  [ScheduledItemKind.Expiry]: 'expire',
  [ScheduledItemKind.Termination]: 'terminate',
};

export interface FiringContext {
  db: DataSource;
  clock: Clock;
  outbox: OutboxService;
  directory: MemorandumDirectory;
  recipients: Recipients;
  deliveries: DeliveriesService;
  timed: TimedTransitions;
  followUp: CommitmentFollowUp;
  /** The context of one item's message (ScheduleService's: reads and writes as they come). */
  messaging(): MessagingContext;
  schedule(m: EntityManager, after: AfterCommit, ...items: NewItem[]): Promise<number>;
  afterCommit(after: AfterCommit): Promise<void>;
}

/**
 * Firing scheduled items (ScheduleService.fire): messages in batches, timed transitions and overdue
 * marks one by one. Remembers, per process, the items its batches are firing and have fired.
 */
export class ScheduleFiring {
  private readonly logger = new Logger('Schedule');
  /** Items claimed by a batch of this process that has not finished: the outcome (committed or not) to wait for. */
  private readonly inFlight = new Map<string, Promise<boolean>>();
  /** Items fired by a committed batch of this process whose own timers have not run yet. */
  private readonly firedHere = new Set<string>();

  constructor(private readonly d: FiringContext) {}

  /**
   * Fires one item if it is still open and due, and with it a batch of other due messages (see `fireBatch`). Safe to
   * run twice: the row locks and statuses decide. An item a batch of this process fired (or is firing) costs no
   * statement: its timer only waits for that batch's outcome. Timed transitions and overdue marks go through
   * `fireTimed`. A batch that fails is rolled back and the item is fired alone (a bad item fails only its own job).
   */
  async fire(itemId: string): Promise<FireOutcome> {
    const inFlight = this.inFlight.get(itemId);
    if (inFlight && (await inFlight)) return 'skipped';
    if (this.firedHere.delete(itemId)) return 'skipped';
    try {
      return await this.fireBatch(itemId, FIRE_BATCH);
    } catch (e) {
      this.logger.warn(`A batch of due items failed, firing ${itemId} alone: ${(e as Error).message}`);
      return this.fireBatch(itemId, 1);
    }
  }

  /**
   * One transaction: the item (waiting for its row lock), up to `limit - 1` other due messages that no other
   * transaction holds (`FOR UPDATE SKIP LOCKED`) and that no undispatched event of their memorandum may cancel,
   * then every step for the whole batch in one statement each: facts, policies, recipients, deliveries and inbox rows,
   * webhook deliveries, next items, outcomes. The others are taken latest due first (a backward scan of the due
   * index that stops at the limit): timers run earliest first and each fires its own item, so the two meet instead
   * of timers waiting for the batch that holds the items right after theirs.
   */
  private async fireBatch(itemId: string, limit: number): Promise<FireOutcome> {
    const after = new AfterCommit();
    let claimed: string[] = [];
    let settle: (committed: boolean) => void = () => undefined;
    const outcome = await this.d.db
      .transaction(async (m): Promise<FireOutcome | 'timed'> => {
        const now = this.d.clock.now();
        const [row] = (await m.query(
          `SELECT s.*, ${this.d.outbox.pendingExpression('s.memorandum_id', '$2')} AS events_pending
             FROM scheduled_items s WHERE s.id = $1 FOR UPDATE OF s`,
          [itemId, now],
        )) as (ScheduledItemRow & { events_pending: boolean })[];
        if (!row || !OPEN.includes(row.status)) return 'skipped';
        const item = itemFromRow(row);
        if (item.dueAt.getTime() > now.getTime()) return 'not_due';
        if (TIMED_KINDS[item.kind] || item.kind === ScheduledItemKind.CommitmentOverdue) return 'timed';
        // Events about this memorandum that are not dispatched yet may cancel this item: they go first.
        if (row.events_pending) return 'deferred';
        const others =
          limit > 1
            ? ((await m.query(
                `SELECT s.* FROM scheduled_items s
                  WHERE s.status = ANY($1) AND s.due_at <= $2 AND s.kind = ANY($3) AND s.id <> $4
                    AND NOT ${this.d.outbox.pendingExpression('s.memorandum_id', '$2')}
                  ORDER BY s.due_at DESC LIMIT $5
                  FOR UPDATE OF s SKIP LOCKED`,
                [OPEN, now, MESSAGE_KINDS, itemId, limit - 1],
              )) as ScheduledItemRow[])
            : [];
        const items = [item, ...others.map(itemFromRow)];
        claimed = others.map((o) => o.id);
        // Timers of this process for these items wait for this transaction instead of taking its row locks.
        const settled = new Promise<boolean>((resolve) => (settle = resolve));
        for (const id of claimed) this.inFlight.set(id, settled);
        const outcomes = await this.sendMessages(m, items, after);
        await m.query(
          `UPDATE scheduled_items s SET status = $2, cancelled_at = NULL, fired_at = $3, outcome = x.outcome
             FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, outcome text) WHERE s.id = x.id`,
          [
            JSON.stringify(items.map((it, i) => ({ id: it.id, outcome: outcomes[i].slice(0, 200) }))),
            ScheduledItemStatus.Done,
            this.d.clock.now(),
          ],
        );
        return 'fired';
      })
      .then(
        (result) => {
          this.settle(claimed, settle, true);
          return result;
        },
        (e: unknown) => {
          this.settle(claimed, settle, false);
          throw e;
        },
      );
    if (outcome === 'timed') return this.fireTimed(itemId);
    await this.d.afterCommit(after);
    return outcome;
  }

  /** After a batch's transaction: its items leave `firing`; committed, they are remembered (their timers skip). */
  private settle(ids: string[], settle: (committed: boolean) => void, committed: boolean) {
    for (const id of ids) this.inFlight.delete(id);
    if (committed) {
      if (this.firedHere.size + ids.length > FIRED_HERE_MAX) this.firedHere.clear();
      for (const id of ids) this.firedHere.add(id);
    }
    settle(committed);
  }

  /**
   * What each item sends and schedules (`sendDueMessage`), for a batch: the memoranda's facts, the policies and the
   * representatives are read once for all; deliveries, inbox rows, webhook deliveries and next items are collected and
   * written in one statement each. Returns the outcomes, in the items' order.
   */
  private async sendMessages(m: EntityManager, items: ScheduledItem[], after: AfterCommit): Promise<string[]> {
    const memoranda = [...new Set(items.map((i) => i.memorandumId))];
    const reviewOrgs = [
      ...new Set(
        items
          .filter((i) => i.kind === ScheduledItemKind.ApprovalReminder && i.organisationId)
          .map((i) => i.organisationId!),
      ),
    ];
    // One after another: a transaction's connection runs one statement at a time.
    const facts = await this.d.directory.factsMany(m, memoranda);
    const policies = await m.getRepository(ReminderPolicy).findBy({ memorandumId: In(memoranda) });
    const representatives = await this.d.recipients.withRoleByOrganisation(m, 'party_representative', reviewOrgs);
    const policy = new Map(policies.map((p) => [`${p.memorandumId}:${p.kind}`, p]));
    const users: UserNotice[] = [];
    const hooks: WebhookNotice[] = [];
    const next: NewItem[] = [];
    const directory = this.d.directory;
    const recipients = this.d.recipients;
    const ctx: MessagingContext = {
      directory: {
        facts: async (mm, id) => (facts.has(id) ? facts.get(id)! : directory.facts(mm, id)),
        factsMany: (mm, ids) => directory.factsMany(mm, ids),
        finishedParties: (...a) => directory.finishedParties(...a),
        signatureProgress: (...a) => directory.signatureProgress(...a),
        coordinatingOrganisation: (...a) => directory.coordinatingOrganisation(...a),
        supervisors: (...a) => directory.supervisors(...a),
        visibleFacts: (...a) => directory.visibleFacts(...a),
      },
      recipients: {
        withRole: async (mm, role, orgs) =>
          role === 'party_representative' && orgs?.length && orgs.every((o) => reviewOrgs.includes(o))
            ? orgs.flatMap((o) => representatives.get(o) ?? []).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
            : recipients.withRole(mm, role, orgs),
        withRoleByOrganisation: (...a) => recipients.withRoleByOrganisation(...a),
        byIds: (...a) => recipients.byIds(...a),
      },
      deliveries: {
        // Written for the whole batch below; the ids of new deliveries go to `after` then.
        notifyUsers: async (_m, source, topic, list, vars) => {
          users.push({ source, topic, users: list, vars });
          return [];
        },
        notifyWebhooks: async (_m, source, topic, organisationIds, body) => {
          hooks.push({ source, topic, organisationIds, body });
          return [];
        },
      },
      followUp: this.d.followUp,
      policy: async (_m, memorandumId, kind) => effectivePolicy(kind, policy.get(`${memorandumId}:${kind}`) ?? null),
      schedule: async (_m, _after, ...items) => next.push(...items),
    };
    const outcomes: string[] = [];
    for (const item of items) outcomes.push(await sendDueMessage(ctx, m, item, after));
    after.deliveries.push(...(await this.d.deliveries.notifyUsersMany(m, users)));
    after.deliveries.push(...(await this.d.deliveries.notifyWebhooksMany(m, hooks)));
    await this.d.schedule(m, after, ...next);
    return outcomes;
  }

  private async complete(m: EntityManager, id: string, outcome: string): Promise<void> {
    await m.query(
      `UPDATE scheduled_items SET status = $2, cancelled_at = NULL, fired_at = $3, outcome = $4 WHERE id = $1`,
      [id, ScheduledItemStatus.Done, this.d.clock.now(), outcome.slice(0, 200)],
    );
  }

  /** Timed transitions and overdue marks: the lifecycle's (follow-up's) own transaction first, then ours. */
  private async fireTimed(itemId: string): Promise<FireOutcome> {
    const pre = await this.d.db.getRepository(ScheduledItem).findOneBy({ id: itemId });
    if (!pre || !OPEN.includes(pre.status)) return 'skipped';
    if (pre.dueAt.getTime() > this.d.clock.now().getTime()) return 'not_due';

    // Timed transitions run in the lifecycle's own transaction, before ours: both are idempotent.
    let transition: string | undefined;
    const timedAction = TIMED_KINDS[pre.kind];
    if (pre.kind === ScheduledItemKind.CommitmentOverdue) {
      if (await this.d.outbox.hasPending(this.d.db.manager, pre.memorandumId)) return 'deferred';
      // The follow-up's own transaction, before ours (both idempotent); then the first overdue reminder.
      await this.d.followUp.markOverdue(String(pre.data.occurrenceId ?? ''));
    }
    if (timedAction) {
      if (await this.d.outbox.hasPending(this.d.db.manager, pre.memorandumId)) return 'deferred';
      transition = await this.d.timed.apply(pre.memorandumId, timedAction, pre.dueAt);
    }

    const after = new AfterCommit();
    const outcome = await this.d.db.transaction(async (m): Promise<FireOutcome> => {
      const item = await m
        .getRepository(ScheduledItem)
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.id = :id', { id: itemId })
        .getOne();
      // The transition this item applied publishes an event (expired, terminated) whose reaction, in another worker,
      // may cancel the memorandum's open items before this transaction takes the row: this item still did its work.
      const appliedHere = transition === 'applied' && item?.status === ScheduledItemStatus.Cancelled;
      if (!item || (!OPEN.includes(item.status) && !appliedHere)) return 'skipped';
      // Events about this memorandum that are not dispatched yet may cancel this item: they go first.
      if (transition === undefined && (await this.d.outbox.hasPending(m, item.memorandumId))) return 'deferred';
      const result = transition ?? (await sendDueMessage(this.d.messaging(), m, item, after));
      await this.complete(m, item.id, result);
      return 'fired';
    });
    await this.d.afterCommit(after);
    return outcome;
  }
}
