/**
 * The envelope of a domain event recorded in the outbox (docs/architecture.md, "Seams": seams between product libs
 * are events, not calls). The library that owns an aggregate names its events (memoranda: `MemorandumEventType`);
 * payloads carry ids and the few values a reaction needs to find its rows.
 */

export interface DomainEventPayload {
  memorandumId: string;
  /** The party organisation the event is about, when it is about one. */
  organisationId?: string;
  revisionNumber?: number;
  revisionHash?: string;
  actorUserId?: string;
  [key: string]: unknown;
}

export interface DomainEvent {
  /** The owning library's event name, e.g. `memorandum.submitted`. */
  type: string;
  /** The kind of aggregate the event is about, e.g. `memorandum`. */
  aggregateType: string;
  aggregateId: string;
  payload: DomainEventPayload;
  /** When the event may be dispatched (default: now). */
  availableAt?: Date;
}
