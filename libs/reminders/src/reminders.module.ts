import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '@kelisim/notifications';
import { MemorandumDirectory, Recipients } from './memorandum-directory';
import { ReminderPoliciesService } from './reminder-policies.service';
import { ReminderPolicy } from './reminder-policy.entity';
import { ReminderReactions } from './reminder-reactions';
import { ReminderSettings } from './reminder-settings';
import { ScheduledItem } from './scheduled-item.entity';
import { ScheduleService } from './schedule.service';

export const REMINDER_ENTITIES = [ScheduledItem, ReminderPolicy];

/**
 * The schedule (reminders, escalations, term notices, timed transitions) and its policies.
 * TimedTransitions is provided by whoever mounts the processors (apps/worker).
 */
@Module({
  imports: [TypeOrmModule.forFeature(REMINDER_ENTITIES), NotificationsModule],
  providers: [ReminderSettings, MemorandumDirectory, Recipients, ReminderPoliciesService],
  exports: [ReminderSettings, MemorandumDirectory, Recipients, ReminderPoliciesService, NotificationsModule],
})
export class RemindersModule {}
