import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, OutboxEvent } from '@kelisim/platform';
import {
  AfterCommit,
  CommitmentReactions,
  NoticeReactions,
  Reaction,
  ReminderReactions,
  ScheduleService,
} from '@kelisim/reminders';

export interface DispatchResult {
  processed: number;
  failed: number;
}

/**
 * Hands outbox events to their reactions. A batch is claimed with FOR UPDATE SKIP LOCKED, so any
 * number of workers can dispatch at once; an event waits while an earlier one of the same
 * memorandum is unprocessed, so reactions see each memorandum's events in order. Each event's
 * reactions and its `processed_at` commit together; a failing event is rolled back to its
 * savepoint and retried later with backoff, without holding up the others.
 */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger('OutboxDispatcher');
  private readonly reactions: Map<string, Reaction[]>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly schedule: ScheduleService,
    reminderReactions: ReminderReactions,
    commitmentReactions: CommitmentReactions,
    noticeReactions: NoticeReactions,
  ) {
    this.reactions = reminderReactions.registry();
    for (const more of [commitmentReactions.registry(), noticeReactions.registry()])
      for (const [type, reactions] of more)
        this.reactions.set(type, [...(this.reactions.get(type) ?? []), ...reactions]);
  }

  async dispatch(batchSize = 50, maxRounds = 20): Promise<DispatchResult> {
    const total: DispatchResult = { processed: 0, failed: 0 };
    for (let round = 0; round < maxRounds; round++) {
      const r = await this.dispatchBatch(batchSize);
      total.processed += r.processed;
      total.failed += r.failed;
      if (r.processed + r.failed === 0) break;
    }
    return total;
  }

  private async dispatchBatch(batchSize: number): Promise<DispatchResult> {
    const after = new AfterCommit();
    const result: DispatchResult = { processed: 0, failed: 0 };
    await this.db.transaction(async (m) => {
      const now = this.clock.now();
      const rows: Record<string, unknown>[] = await m.query(
        `SELECT e.* FROM outbox_events e
          WHERE e.processed_at IS NULL AND e.available_at <= $1
            AND NOT EXISTS (SELECT 1 FROM outbox_events p WHERE p.aggregate_id = e.aggregate_id AND p.processed_at IS NULL AND p.id < e.id)
          ORDER BY e.id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, batchSize],
      );
      for (const row of rows) {
        const event = toEvent(row);
        const reactions = [...(this.reactions.get(event.type) ?? []), ...(this.reactions.get('*') ?? [])];
        const mark = new AfterCommit();
        await m.query('SAVEPOINT outbox_event');
        try {
          for (const reaction of reactions) await reaction(m, event, mark);
          await m.query(
            'UPDATE outbox_events SET processed_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1',
            [event.id, now],
          );
          await m.query('RELEASE SAVEPOINT outbox_event');
          after.items.push(...mark.items);
          after.deliveries.push(...mark.deliveries);
          result.processed++;
        } catch (e) {
          await m.query('ROLLBACK TO SAVEPOINT outbox_event');
          const retryIn = Math.min(3600, 2 ** Math.min(event.attempts + 1, 12)) * 1000;
          await m.query(
            'UPDATE outbox_events SET attempts = attempts + 1, last_error = $2, available_at = $3 WHERE id = $1',
            [event.id, String((e as Error).stack ?? e).slice(0, 4000), new Date(now.getTime() + retryIn)],
          );
          this.logger.error(`Outbox event ${event.id} (${event.type}) failed: ${(e as Error).message}`);
          result.failed++;
        }
      }
    });
    await this.schedule.afterCommit(after);
    return result;
  }
}

function toEvent(row: Record<string, unknown>): OutboxEvent {
  const e = new OutboxEvent();
  e.id = String(row.id);
  e.type = row.type as string;
  e.aggregateType = row.aggregate_type as string;
  e.aggregateId = row.aggregate_id as string;
  e.payload = (row.payload ?? {}) as Record<string, unknown>;
  e.occurredAt = new Date(row.occurred_at as string);
  e.availableAt = new Date(row.available_at as string);
  e.attempts = Number(row.attempts ?? 0);
  e.processedAt = null;
  e.lastError = null;
  return e;
}
