import { Global, Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../config/environment';
import { HISTORY_MAC_KEY, keyFromDataDir, parseSecretsKey, resolveHistoryKey, SecretBox } from './secret-box';

@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => {
        const given = config.get('SECRETS_KEY', { infer: true });
        if (given) return SecretBox.fromKey(parseSecretsKey(given)!);
        const file = keyFromDataDir(config.get('DATA_DIR', { infer: true }));
        if (file.created)
          new Logger('Secrets').warn(
            `SECRETS_KEY is not set: created ${file.path}; give every process the same SECRETS_KEY when they run on several hosts`,
          );
        return SecretBox.fromKey(file.key);
      },
    },
    {
      provide: HISTORY_MAC_KEY,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        resolveHistoryKey({
          HISTORY_KEY: config.get('HISTORY_KEY', { infer: true }),
          SECRETS_KEY: config.get('SECRETS_KEY', { infer: true }),
          DATA_DIR: config.get('DATA_DIR', { infer: true }),
        }),
    },
  ],
  exports: [SecretBox, HISTORY_MAC_KEY],
})
export class SecretsModule {}
