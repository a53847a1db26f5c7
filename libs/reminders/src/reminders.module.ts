import { DynamicModule, Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '@kelisim/notifications';
import { MemorandumDirectory, Recipients } from './memorandum-directory.port';
import { ReminderPoliciesService } from './reminder-policies.service';
import { ReminderPolicy } from './reminder-policy.entity';
import { ReminderSettings } from './reminder-settings';
import { ScheduledItem } from './scheduled-item.entity';

export const REMINDER_ENTITIES = [ScheduledItem, ReminderPolicy];

/** The implementations of reminders' ports, from the libraries that own the tables. */
export interface ReminderPorts {
  directory: Type<MemorandumDirectory>;
  recipients: Type<Recipients>;
}

/**
 * The schedule (reminders, escalations, term notices, timed transitions) and its policies.
 * The app binds the ports: MemorandumDirectory and Recipients here, TimedTransitions where the
 * processors are mounted (apps/worker).
 */
@Module({})
export class RemindersModule {
  static register(ports: ReminderPorts): DynamicModule {
    const bound = [
      { provide: MemorandumDirectory, useClass: ports.directory },
      { provide: Recipients, useClass: ports.recipients },
    ];
    return {
      module: RemindersModule,
      imports: [TypeOrmModule.forFeature(REMINDER_ENTITIES), NotificationsModule],
      providers: [ReminderSettings, ...bound, ReminderPoliciesService],
      exports: [ReminderSettings, MemorandumDirectory, Recipients, ReminderPoliciesService, NotificationsModule],
    };
  }
}
