import { DynamicModule, Module, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CommitmentsEvidenceSection, CommitmentsModule } from '@kelisim/commitments';
import { HistoryModule } from '@kelisim/history';
import { IdentityModule, UserRecipients } from '@kelisim/identity';
import { MemorandaModule, MemorandumFactsReader } from '@kelisim/memoranda';
import { MIGRATIONS } from '@kelisim/migrations';
import { IdempotencyModule, PlatformModule } from '@kelisim/platform';
import { QueueHealthIndicator } from '@kelisim/platform/http-app';
import { RemindersModule } from '@kelisim/reminders';
import { EvidenceModule } from '@kelisim/evidence';
import { TemplatesModule } from '@kelisim/templates';
import { EvidenceController } from './evidence/evidence.controller';
import { TemplatesController } from './templates/templates.controller';
import { CommitmentsController } from './commitments/commitments.controller';
import { DashboardController } from './commitments/dashboard.controller';
import { ExportsController } from './commitments/exports.controller';
import { EvidenceUploadInterceptor } from './commitments/evidence-upload.interceptor';
import { ReportsController } from './commitments/reports.controller';
import { HealthController } from './health/health.controller';
import { AuthController } from './identity/auth.controller';
import { OrganisationsController } from './identity/organisations.controller';
import { UsersController } from './identity/users.controller';
import { SupervisionScopesController } from './identity/supervision-scopes.controller';
import { WaitingController } from './commitments/waiting.controller';
import { MemorandaController } from './memoranda/memoranda.controller';
import { MemorandumLifecycleController } from './memoranda/memorandum-lifecycle.controller';
import { OperationsModule } from './metrics/operations.module';
import { InboxController, NotificationPreferencesController } from './notifications/inbox.controller';
import { WebhooksController } from './notifications/webhooks.controller';
import { ReminderPoliciesController } from './reminders/reminder-policies.controller';
import { WebAppModule } from './web/web-app.module';

/** The HTTP API: controllers only; the product lives in libs/. */
@Module({})
export class ApiModule {
  /**
   * `mount` adds modules to the same process: apps/cli passes the worker's ProcessorsModule for the
   * single-process default (`kelisim start`); the API itself never imports the worker.
   */
  static forRoot(
    overrides: Record<string, string> = {},
    options: { mount?: Array<Type | DynamicModule> } = {},
  ): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRoot({ overrides, migrations: MIGRATIONS }),
        TerminusModule,
        IdempotencyModule,
        IdentityModule,
        HistoryModule,
        MemorandaModule,
        CommitmentsModule,
        RemindersModule.register({ directory: MemorandumFactsReader, recipients: UserRecipients }),
        OperationsModule,
        TemplatesModule,
        EvidenceModule.register({ commitments: CommitmentsEvidenceSection }),
        WebAppModule,
        ...(options.mount ?? []),
      ],
      controllers: [
        HealthController,
        AuthController,
        OrganisationsController,
        UsersController,
        MemorandaController,
        MemorandumLifecycleController,
        ReminderPoliciesController,
        InboxController,
        NotificationPreferencesController,
        WebhooksController,
        TemplatesController,
        EvidenceController,
        CommitmentsController,
        ReportsController,
        SupervisionScopesController,
        DashboardController,
        ExportsController,
        WaitingController,
      ],
      providers: [QueueHealthIndicator, EvidenceUploadInterceptor],
    };
  }
}
