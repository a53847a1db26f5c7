import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IDENTITY_ENTITIES, UserRecipients } from '@kelisim/identity';
import { MemorandaModule, MemorandumFactsReader } from '@kelisim/memoranda';
import { EvidenceModule } from '@kelisim/evidence';
import { CommitmentsEvidenceSection, CommitmentsModule } from '@kelisim/commitments';
import { RemindersModule } from '@kelisim/reminders';
import { DeliveryProcessor } from './delivery.processor';
import { EvidenceProcessor } from './evidence.processor';
import { OutboxDispatchModule } from './outbox/outbox-dispatch.module';
import { OutboxProcessor } from './outbox.processor';
import { ScheduleProcessor } from './schedule.processor';
import { WorkerTimers } from './worker-timers';

/**
 * The BullMQ processors (one WorkerHost per queue). Mounted by the worker process, and by the
 * API process in single-process mode; it brings no platform of its own.
 */
@Module({
  // The lifecycle's entities refer to organisations and users: the worker process (no IdentityModule) registers them too.
  imports: [
    TypeOrmModule.forFeature(IDENTITY_ENTITIES),
    RemindersModule.register({ directory: MemorandumFactsReader, recipients: UserRecipients }),
    MemorandaModule,
    EvidenceModule.register({ commitments: CommitmentsEvidenceSection }),
    CommitmentsModule,
    OutboxDispatchModule,
  ],
  providers: [OutboxProcessor, ScheduleProcessor, DeliveryProcessor, EvidenceProcessor, WorkerTimers],
  exports: [OutboxDispatchModule],
})
export class ProcessorsModule {}
