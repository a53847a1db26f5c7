import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Environment } from '../config/environment';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './migrator';
import { MIGRATIONS } from './migrations.token';

/**
 * The TypeORM connection. Entities register themselves through TypeOrmModule.forFeature
 * (autoLoadEntities); migrations are handed in by the app, which owns the top-level migrations/.
 */
@Module({})
export class DatabaseModule implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  static forRoot(migrations: Function[]) {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<Environment, true>) => {
            const url = config.get('DATABASE_URL', { infer: true });
            if (!url)
              throw new Error('DATABASE_URL must be resolved (embedded server started) before the app module is built');
            return { ...dataSourceOptions(url, [], migrations), autoLoadEntities: true };
          },
        }),
      ],
      providers: [{ provide: MIGRATIONS, useValue: migrations }],
      exports: [MIGRATIONS],
    };
  }

  async onModuleInit() {
    if (!this.config.get('MIGRATIONS_RUN', { infer: true })) return;
    const ran = await runMigrationsLocked(this.dataSource);
    if (ran.length) this.logger.log(`Applied migrations: ${ran.join(', ')}`);
  }
}
