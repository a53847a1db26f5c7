/**
 * How the schedule follows commitments (docs/follow-up.md): while the memorandum is active, each
 * open occurrence has due reminders (policy `commitment_due`, at 09:00 local time that many days
 * before) and its overdue timer (the start of the next day). Any event about a commitment re-syncs
 * its items: finished or removed occurrences lose theirs, new ones get them (dedupe keys make it
 * idempotent). Activation schedules the whole memorandum; renewal and an executed amendment re-plan it.
 */
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MemorandumEventType } from '@kelisim/memoranda';
import { addDays, Clock, OutboxEvent, zonedDateTime } from '@kelisim/platform';
import { CommitmentEventType, CommitmentFollowUp } from './commitment-follow-up.port';
import { dedupeKey } from './dedupe-key';
import { MemorandumDirectory } from './memorandum-directory.port';
import type { Reaction } from './reminder-reactions';
import { AfterCommit, NewItem, ScheduleService } from './schedule.service';
import { ScheduledItemKind as K } from './scheduled-item.entity';

@Injectable()
export class CommitmentReactions {
  constructor(
    private readonly schedule: ScheduleService,
    private readonly directory: MemorandumDirectory,
    private readonly followUp: CommitmentFollowUp,
    private readonly clock: Clock,
  ) {}

  registry(): Map<string, Reaction[]> {
    const r = new Map<string, Reaction[]>();
    const on = (type: string, reaction: Reaction) => r.set(type, [...(r.get(type) ?? []), reaction]);
    on(MemorandumEventType.MemorandumActivated, (m, e, a) =>
      this.sync(m, String(e.payload.memorandumId), undefined, a),
    );
    for (const t of [MemorandumEventType.MemorandumRenewed, MemorandumEventType.MemorandumExecuted]) {
      on(t, async (m, e, a) => {
        await this.followUp.replan(m, String(e.payload.memorandumId));
        await this.sync(m, String(e.payload.memorandumId), undefined, a);
      });
    }
    for (const t of [
      CommitmentEventType.CommitmentAdded,
      CommitmentEventType.CommitmentChanged,
      CommitmentEventType.CommitmentCompleted,
      CommitmentEventType.CommitmentCancelled,
    ]) {
      on(t, (m, e, a) => this.sync(m, String(e.payload.memorandumId), commitmentOf(e), a));
    }
    return r;
  }

  private async sync(m: EntityManager, memorandumId: string, commitmentId: string | undefined, after: AfterCommit) {
    const facts = await this.directory.facts(m, memorandumId);
    const open = facts?.status === 'active' ? await this.followUp.openOccurrences(m, memorandumId, commitmentId) : [];
    await this.schedule.cancelCommitmentItems(
      m,
      { memorandumId, commitmentId, keepOccurrenceIds: open.map((o) => o.id) },
      'occurrence finished or gone',
    );
    if (!facts || !open.length) return;
    const due = await this.schedule.policy(m, memorandumId, 'commitment_due');
    const now = this.clock.now().getTime();
    const items: NewItem[] = [];
    for (const o of open) {
      if (o.status === 'overdue') continue;
      const data = { occurrenceId: o.id, commitmentId: o.commitmentId, date: o.date };
      for (const daysBefore of due.enabled ? (due.offsetsDays ?? []) : []) {
        const dueAt = zonedDateTime(addDays(o.date, -daysBefore), 9, 0, facts.timeZone);
        if (dueAt.getTime() <= now) continue;
        items.push({
          kind: K.CommitmentDue,
          memorandumId,
          dueAt,
          data: { ...data, daysBefore },
          dedupeKey: dedupeKey({ kind: 'commitment_due', occurrenceId: o.id, daysBefore }),
        });
      }
      items.push({
        kind: K.CommitmentOverdue,
        memorandumId,
        dueAt: o.overdueAt,
        data,
        dedupeKey: dedupeKey({ kind: 'commitment_overdue', occurrenceId: o.id }),
      });
    }
    await this.schedule.schedule(m, after, ...items);
  }
}

const commitmentOf = (e: OutboxEvent) =>
  typeof e.payload.commitmentId === 'string' ? e.payload.commitmentId : undefined;
