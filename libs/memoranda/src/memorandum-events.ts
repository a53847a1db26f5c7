/**
 * The events the lifecycle publishes through the outbox (platform's `DomainEvent` envelope, aggregate type
 * `memorandum`): the vocabulary other libraries react to (reminders, notifications' webhooks). Payloads carry the
 * memorandum id and the few values a reaction needs (`organisationId`, `revisionNumber`, `revisionHash`, …).
 */
export enum MemorandumEventType {
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
}
