import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../clock/clock';
import { WriteStatement } from '../database/write-statement';
import { DomainEvent } from './domain-events';
import { OutboxEvent } from './outbox-event.entity';

/** Records domain events inside the caller's transaction; never opens one of its own. */
@Injectable()
export class OutboxService {
  constructor(private readonly clock: Clock) {}

  async record(manager: EntityManager, ...events: DomainEvent[]): Promise<void> {
    if (!events.length) return;
    const now = this.clock.now();
    await manager.getRepository(OutboxEvent).insert(
      events.map((e) => ({
        type: e.type,
        aggregateType: e.aggregateType,
        aggregateId: e.aggregateId,
        // eslint-disable-next-line no-restricted-syntax -- TypeORM's QueryDeepPartialEntity does not accept a jsonb column typed as an interface
        payload: e.payload as never,
        occurredAt: now,
        availableAt: e.availableAt ?? now,
      })),
    );
  }

  /** The same rows as `record`, as a part of a transition's one write statement. */
  recordIn(statement: WriteStatement, ...events: DomainEvent[]): void {
    const now = this.clock.now();
    statement.insert(
      'outbox',
      'outbox_events',
      events.map((e) => ({
        type: e.type,
        aggregateType: e.aggregateType,
        aggregateId: e.aggregateId,
        payload: e.payload,
        occurredAt: now,
        availableAt: e.availableAt ?? now,
      })),
    );
  }

  /** Whether events about the aggregate are recorded but not dispatched yet (due now or earlier). */
  async hasPending(manager: EntityManager, aggregateId: string): Promise<boolean> {
    return manager
      .getRepository(OutboxEvent)
      .createQueryBuilder('e')
      .where('e.aggregateId = :aggregateId AND e.processedAt IS NULL AND e.availableAt <= :now', {
        aggregateId,
        now: this.clock.now(),
      })
      .getExists();
  }

  /**
   * The same question as `hasPending`, as an SQL expression to embed in a caller's statement (one
   * round trip instead of two): `aggregateColumn` names the aggregate's id column, `nowParameter`
   * the placeholder bound to the clock's now (e.g. `$2`).
   */
  pendingExpression(aggregateColumn: string, nowParameter: string): string {
    return `EXISTS (SELECT 1 FROM outbox_events e WHERE e.aggregate_id = ${aggregateColumn} AND e.processed_at IS NULL AND e.available_at <= ${nowParameter})`;
  }
}
