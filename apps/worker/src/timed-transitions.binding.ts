import { Injectable } from '@nestjs/common';
import { MemorandumTransitionsService } from '@kelisim/memoranda';
import { TimedAction, TimedTransitions } from '@kelisim/reminders';

/** Timed transitions of the schedule (activation, expiry, a termination's date) are the lifecycle's applyTimedTransition. */
@Injectable()
export class LifecycleTimedTransitions extends TimedTransitions {
  constructor(private readonly transitions: MemorandumTransitionsService) {
    super();
  }

  apply(memorandumId: string, action: TimedAction, at: Date): Promise<'applied' | 'skipped'> {
    return this.transitions.applyTimedTransition(memorandumId, action, at);
  }
}
