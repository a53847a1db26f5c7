/**
 * The commitments' timed transition, bound to libs/reminders' schedule through the
 * `CommitmentTimers` port: an occurrence still open at its `overdueAt` (the start of the day after
 * its date, in the memorandum's time zone) becomes overdue, and so does its commitment.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HistoryService } from '@kelisim/history';
import { Clock, OutboxService } from '@kelisim/platform';
import { CommitmentEventType } from '@kelisim/reminders';
import { nextStatus, OPEN_STATUSES } from './commitment-status';
import { FollowUpWriters, guardedUpdate, recordFollowUp } from './commitment-writes';
import { Commitment, CommitmentOccurrence } from './entities';
import { loadMemorandum } from './follow-up-context';
import { CommitmentStatus } from './vocabulary';

@Injectable()
export class CommitmentTimersService {
  private readonly writers: FollowUpWriters;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    history: HistoryService,
    outbox: OutboxService,
  ) {
    this.writers = { history, outbox };
  }

  /** Idempotent: a second call, or one for a finished occurrence or before its time, answers 'skipped'. */
  async markOverdue(occurrenceId: string): Promise<'applied' | 'skipped'> {
    return this.db.transaction(async (m) => {
      const pre = await m.getRepository(CommitmentOccurrence).findOneBy({ id: occurrenceId });
      if (!pre) return 'skipped';
      const ctx = await loadMemorandum(m, null, pre.memorandumId, true);
      const o = await m.getRepository(CommitmentOccurrence).findOneBy({ id: occurrenceId });
      const now = this.clock.now();
      if (!o || !OPEN_STATUSES.includes(o.status) || o.status === CommitmentStatus.Overdue) return 'skipped';
      if (now.getTime() < o.overdueAt.getTime() || ctx.memorandum.status !== 'active') return 'skipped';
      const c = await m
        .getRepository(Commitment)
        .createQueryBuilder('c')
        .setLock('pessimistic_write')
        .where('c.id = :id', { id: o.commitmentId })
        .getOneOrFail();
      await m.getRepository(CommitmentOccurrence).update({ id: o.id }, { status: CommitmentStatus.Overdue });
      const from = c.status;
      const to = nextStatus(c.status, 'overdue') ?? c.status;
      if (to !== from) await guardedUpdate(m, c, { status: to, updatedAt: now });
      c.status = to;
      await recordFollowUp(this.writers, m, ctx, null, now, null, CommitmentEventType.CommitmentOverdue, c, {
        action: 'commitment.overdue',
        fromStatus: from,
        toStatus: to,
        organisationId: c.leadOrganisationId,
        data: { commitmentId: c.id, occurrenceDate: o.date, occurrenceId: o.id },
      });
      return 'applied';
    });
  }
}
