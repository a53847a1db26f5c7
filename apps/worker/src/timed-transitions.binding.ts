import { Injectable } from '@nestjs/common';
import { MemorandumTransitionsService } from '@kelisim/memoranda';
import { TimedTransitions } from '@kelisim/reminders';

/** Timed transitions of the schedule (activation, expiry) are the lifecycle's applyTimedTransition. */
@Injectable()
export class LifecycleTimedTransitions extends TimedTransitions {
  constructor(private readonly transitions: MemorandumTransitionsService) {
    super();
  }

  apply(memorandumId: string, action: 'activate' | 'expire', at: Date): Promise<'applied' | 'skipped'> {
    return this.transitions.applyTimedTransition(memorandumId, action, at);
  }
}
