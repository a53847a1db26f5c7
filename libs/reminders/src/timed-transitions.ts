/**
 * The seam to the lifecycle for timed transitions: the worker binds it to the memoranda
 * transitions service (`applyTimedTransition`); reminders never import the lifecycle.
 * It must be idempotent: a second call for a transition already made answers 'skipped'.
 */
/** The lifecycle's timed actions: activation, expiry, and the end of a termination given for a future date. */
export type TimedAction = 'activate' | 'expire' | 'terminate';

export abstract class TimedTransitions {
  abstract apply(memorandumId: string, action: TimedAction, at: Date): Promise<'applied' | 'skipped'>;
}
