import { DynamicModule, Module } from '@nestjs/common';
import { MIGRATIONS } from '@kelisim/migrations';
import { PlatformModule } from '@kelisim/platform';
import { ProcessorsModule } from './processors.module';

/** The worker process: BullMQ processors, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(overrides: Record<string, string> = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot({ overrides, migrations: MIGRATIONS }), ProcessorsModule],
    };
  }
}
