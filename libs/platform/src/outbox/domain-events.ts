/**
 * The domain events transitions record in the outbox (docs/architecture.md, "Seams": seams between product libs are
 * events, not calls). Payloads carry ids and the few values a reaction needs to find its rows.
 */
export enum DomainEventType {
  MemorandumSubmitted = 'memorandum.submitted',
  PartyApproved = 'party.approved',
  PartyRequestedChanges = 'party.changes_requested',
  PartyDeclined = 'party.declined',
  MemorandumApproved = 'memorandum.approved',
  SigningOpened = 'memorandum.signing_opened',
  SignatureRecorded = 'signature.recorded',
  MemorandumExecuted = 'memorandum.executed',
  MemorandumActivated = 'memorandum.activated',
  MemorandumExpired = 'memorandum.expired',
  MemorandumWithdrawn = 'memorandum.withdrawn',
  MemorandumTerminated = 'memorandum.terminated',
  /** A termination given for a future date: `terminationDate` (in the memorandum's time zone) and `reason`. */
  TerminationScheduled = 'memorandum.termination_scheduled',
  MemorandumRenewed = 'memorandum.renewed',
  AmendmentStarted = 'amendment.started',
  ReturnedToDraft = 'memorandum.returned_to_draft',
  /** Follow-up (libs/commitments): payload `commitmentId`, and `occurrenceDate` when about one occurrence. */
  CommitmentAdded = 'commitment.added',
  CommitmentChanged = 'commitment.changed',
  CommitmentCompleted = 'commitment.completed',
  CommitmentCancelled = 'commitment.cancelled',
  CommitmentOverdue = 'commitment.overdue',
}

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
  type: DomainEventType;
  aggregateType: 'memorandum' | 'commitment';
  aggregateId: string;
  payload: DomainEventPayload;
  /** When the event may be dispatched (default: now). */
  availableAt?: Date;
}
