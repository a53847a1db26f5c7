import { DynamicModule, Module } from '@nestjs/common';
import { ClockModule } from './clock/clock.module';
import { KelisimConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { LoggingModule } from './http/logging.module';
import { QueuesModule } from './queues/queues.module';
import { OutboxModule } from './outbox/outbox.module';
import { SecretsModule } from './secrets/secrets.module';

/**
 * The adapters every process needs: configuration, logs, database, queues, clock. Both apps
 * import it once; `overrides` replace environment variables (tests use it).
 */
@Module({})
export class PlatformModule {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  static forRoot(options: { overrides?: Record<string, string>; migrations: Function[] }): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [
        KelisimConfigModule.forRoot(options.overrides ?? {}),
        LoggingModule,
        DatabaseModule.forRoot(options.migrations),
        QueuesModule.forRoot(),
        ClockModule,
        OutboxModule,
        SecretsModule,
      ],
    };
  }
}
