/**
 * Every BullMQ queue and job of Kelisim, in one place. Payloads carry ids only: a handler reloads
 * what it needs from PostgreSQL, which stays the source of truth.
 */
export enum QueueName {
  /** Moves due outbox rows (transitions' side effects) into the other queues. */
  Outbox = 'outbox',
  /** Timers: reminders, escalations and timed transitions. */
  Schedule = 'schedule',
  /** One job per notification delivery (e-mail, webhook). */
  Delivery = 'delivery',
  /** Evidence PDFs, rendered off the request path and cached by history head. */
  Evidence = 'evidence',
}

export enum JobName {
  DispatchOutbox = 'outbox.dispatch',
  Reconcile = 'schedule.reconcile',
  FireScheduledItem = 'schedule.fire',
  DeliverEmail = 'delivery.email',
  DeliverWebhook = 'delivery.webhook',
  /** Repeated: the daily e-mail digests that are due (docs/notifications.md). */
  SendDigests = 'delivery.digests',
  RenderEvidence = 'evidence.render',
}

export interface JobPayloads {
  [JobName.DispatchOutbox]: Record<string, never>;
  [JobName.Reconcile]: Record<string, never>;
  [JobName.FireScheduledItem]: { scheduledItemId: string };
  [JobName.DeliverEmail]: { deliveryId: string };
  /** `more`: further webhook deliveries sent by the same job (one batch), each under its row lock. */
  [JobName.DeliverWebhook]: { deliveryId: string; more?: string[] };
  [JobName.SendDigests]: Record<string, never>;
  [JobName.RenderEvidence]: { memorandumId: string };
}

/** Which queue each job goes to. */
export const JOB_QUEUE: { [J in JobName]: QueueName } = {
  [JobName.DispatchOutbox]: QueueName.Outbox,
  [JobName.Reconcile]: QueueName.Schedule,
  [JobName.FireScheduledItem]: QueueName.Schedule,
  [JobName.DeliverEmail]: QueueName.Delivery,
  [JobName.DeliverWebhook]: QueueName.Delivery,
  [JobName.SendDigests]: QueueName.Delivery,
  [JobName.RenderEvidence]: QueueName.Evidence,
};
