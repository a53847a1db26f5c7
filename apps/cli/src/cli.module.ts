import { DynamicModule, Module } from '@nestjs/common';
import { HistoryModule } from '@kelisim/history';
import { IdentityModule } from '@kelisim/identity';
import { MemorandaModule } from '@kelisim/memoranda';
import { MIGRATIONS } from '@kelisim/migrations';
import { PlatformModule } from '@kelisim/platform';

/** What one-shot commands (create-admin, demo, verify) need: the platform and the product services. */
@Module({})
export class CliModule {
  static forRoot(overrides: Record<string, string>): DynamicModule {
    return {
      module: CliModule,
      imports: [
        PlatformModule.forRoot({ overrides, migrations: MIGRATIONS }),
        IdentityModule,
        HistoryModule,
        MemorandaModule,
      ],
    };
  }
}
