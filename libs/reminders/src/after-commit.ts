import type { ScheduledItem } from './scheduled-item.entity';

export type NewItem = Pick<ScheduledItem, 'kind' | 'memorandumId' | 'dueAt' | 'dedupeKey'> &
  Partial<Pick<ScheduledItem, 'organisationId' | 'revisionNumber' | 'sequence' | 'data'>>;

/** Work to do once the transaction that produced it has committed. */
export class AfterCommit {
  readonly items: { id: string; dueAt: Date }[] = [];
  readonly deliveries: string[] = [];
}
