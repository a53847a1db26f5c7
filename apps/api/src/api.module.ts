import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HistoryModule } from '@kelisim/history';
import { IdentityModule, UserRecipients } from '@kelisim/identity';
import { MemorandaModule, MemorandumFactsReader } from '@kelisim/memoranda';
import { MIGRATIONS } from '@kelisim/migrations';
import { QueueHealthIndicator } from '@kelisim/platform/health/queue.health';
import { IdempotencyModule } from '@kelisim/platform/idempotency/idempotency.module';
import { PlatformModule } from '@kelisim/platform/platform.module';
import { RemindersModule } from '@kelisim/reminders';
import { ProcessorsModule } from '../../worker/src/processors.module';
import { HealthController } from './health/health.controller';
import { AuthController } from './identity/auth.controller';
import { OrganisationsController } from './identity/organisations.controller';
import { UsersController } from './identity/users.controller';
import { MemorandaController } from './memoranda/memoranda.controller';
import { MemorandumLifecycleController } from './memoranda/memorandum-lifecycle.controller';
import { OperationsModule } from './metrics/operations.module';
import { InboxController } from './notifications/inbox.controller';
import { WebhooksController } from './notifications/webhooks.controller';
import { ReminderPoliciesController } from './reminders/reminder-policies.controller';

/** The HTTP API: controllers only; the product lives in libs/. */
@Module({})
export class ApiModule {
  /** `withWorker` mounts the processors too: the single-process default. */
  static forRoot(overrides: Record<string, string> = {}, options: { withWorker?: boolean } = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRoot({ overrides, migrations: MIGRATIONS }),
        TerminusModule,
        IdempotencyModule,
        IdentityModule,
        HistoryModule,
        MemorandaModule,
        RemindersModule.register({ directory: MemorandumFactsReader, recipients: UserRecipients }),
        OperationsModule,
        ...(options.withWorker ? [ProcessorsModule] : []),
      ],
      controllers: [
        HealthController,
        AuthController, OrganisationsController, UsersController,
        MemorandaController, MemorandumLifecycleController,
        ReminderPoliciesController, InboxController, WebhooksController,
      ],
      providers: [QueueHealthIndicator],
    };
  }
}
