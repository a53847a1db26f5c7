import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IDENTITY_ENTITIES, UserRecipients } from '@kelisim/identity';
import { MemorandaModule, MemorandumFactsReader } from '@kelisim/memoranda';
import { EvidenceModule } from '@kelisim/evidence';
import { CommitmentsEvidenceSection, CommitmentsModule } from '@kelisim/commitments';
import {
  CommitmentReactions,
  NoticeReactions,
  RemindersModule,
  ReminderReactions,
  ScheduleService,
  TimedTransitions,
} from '@kelisim/reminders';
import { LifecycleTimedTransitions } from '../timed-transitions.binding';
import { OutboxDispatcher } from './outbox-dispatcher';

/**
 * The outbox dispatcher with its reactions and the schedule, without any queue consumer: the worker's processors
 * build on it, and `kelisim demo` dispatches each step's events with it (no timer fires there).
 */
@Module({
  // The lifecycle's entities refer to organisations and users: the worker process (no IdentityModule) registers them too.
  imports: [
    TypeOrmModule.forFeature(IDENTITY_ENTITIES),
    RemindersModule.register({ directory: MemorandumFactsReader, recipients: UserRecipients }),
    MemorandaModule,
    EvidenceModule.register({ commitments: CommitmentsEvidenceSection }),
    CommitmentsModule,
  ],
  providers: [
    { provide: TimedTransitions, useClass: LifecycleTimedTransitions },
    ScheduleService,
    ReminderReactions,
    CommitmentReactions,
    NoticeReactions,
    OutboxDispatcher,
  ],
  exports: [ScheduleService, OutboxDispatcher, TimedTransitions],
})
export class OutboxDispatchModule {}
