import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Global, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { Queue } from 'bullmq';
import { Environment } from '../config/environment';
import { queueBackendKind, queueConnection, redactUrl, selectQueueBackend } from './queue-backend';
import { QueueName } from './queue-names';

export const QUEUE_BACKEND = Symbol('QUEUE_BACKEND');

/**
 * Registers every queue with the backend chosen by configuration. The backend factory is set
 * when the module's providers are built, before @nestjs/bullmq constructs a queue.
 */
@Global()
@Module({})
export class QueuesModule implements OnModuleInit {
  private readonly logger = new Logger('Queues');

  constructor(
    private readonly config: ConfigService<Environment, true>,
    private readonly moduleRef: ModuleRef,
  ) {}

  static forRoot(): DynamicModule {
    const queues = Object.values(QueueName).map((name) => BullModule.registerQueue({ name }));
    return {
      module: QueuesModule,
      imports: [
        BullModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<Environment, true>) => {
            const env = {
              REDIS_URL: config.get('REDIS_URL', { infer: true }),
              DATABASE_URL: config.get('DATABASE_URL', { infer: true }),
            };
            selectQueueBackend(queueBackendKind(env));
            return {
              // eslint-disable-next-line no-restricted-syntax -- an ioredis instance, or options for the Postgres backend: BullMQ types only the former
              connection: queueConnection(env) as never,
              prefix: config.get('QUEUE_PREFIX', { infer: true }),
              defaultJobOptions: {
                attempts: 8,
                backoff: { type: 'exponential', delay: 2000 },
                removeOnComplete: { age: 24 * 3600, count: 10_000 },
                removeOnFail: { age: 14 * 24 * 3600, count: 50_000 },
              },
            };
          },
        }),
        ...queues,
      ],
      providers: [
        {
          provide: QUEUE_BACKEND,
          inject: [ConfigService],
          useFactory: (config: ConfigService<Environment, true>) =>
            queueBackendKind({ REDIS_URL: config.get('REDIS_URL', { infer: true }) }),
        },
      ],
      exports: [BullModule, QUEUE_BACKEND],
    };
  }

  onModuleInit() {
    // BullMQ's own PostgreSQL schema is migrated by prepareInfrastructure() before the app is built.
    // A queue without an 'error' listener dumps every connection error to the console.
    for (const name of Object.values(QueueName)) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      queue.on('error', (err: Error) => this.logger.warn(`queue ${name}: connection error: ${err.message}`));
    }
    const redis = this.config.get('REDIS_URL', { infer: true });
    this.logger.log(
      redis
        ? `Queue backend: Redis at ${redactUrl(redis)}`
        : 'Queue backend: PostgreSQL (BullMQ schema "bullmq") on the service\'s database',
    );
  }
}
