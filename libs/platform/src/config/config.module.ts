import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateEnvironment } from './environment';

/**
 * Global configuration. `overrides` win over process.env (tests pass their own database, Redis and
 * queue prefix); an empty string unsets a variable.
 */
@Module({})
export class KelisimConfigModule {
  static forRoot(overrides: Record<string, string> = {}): DynamicModule {
    return {
      module: KelisimConfigModule,
      global: true,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          validate: (raw) => ({ ...validateEnvironment({ ...raw, ...overrides }) }),
        }),
      ],
      exports: [ConfigModule],
    };
  }
}
