/**
 * Processors never know which backend they run on: the same @nestjs/bullmq WorkerHost processes a
 * job on Redis and on BullMQ's PostgreSQL backend, selected only by REDIS_URL.
 */
import { InjectQueue, Processor, WorkerHost, BullModule } from '@nestjs/bullmq';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Job, Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { PlatformModule } from '@kelisim/platform';
import { createTestDatabase, dropTestDatabase, TEST_REDIS_URL } from './support/databases';

const SELFTEST = 'kelisim-selftest';

@Injectable()
class Seen {
  readonly jobs: Array<{ name: string; data: unknown }> = [];
}

@Processor(SELFTEST)
class SelftestProcessor extends WorkerHost {
  constructor(private readonly seen: Seen) {
    super();
  }
  async process(job: Job) {
    this.seen.jobs.push({ name: job.name, data: job.data });
    return 'done';
  }
}

@Injectable()
class Producer {
  constructor(@InjectQueue(SELFTEST) readonly queue: Queue) {}
}

@Module({ imports: [BullModule.registerQueue({ name: SELFTEST })], providers: [Seen, SelftestProcessor, Producer] })
class SelftestModule {}

describe.each(['redis', 'postgres'] as const)('BullMQ through @nestjs/bullmq on the %s backend', (backend) => {
  it('processes a job with a WorkerHost, and a deterministic job id collapses a duplicate', async () => {
    const db = await createTestDatabase();
    const prefix = `kt_${randomBytes(4).toString('hex')}`;
    const moduleRef = await Test.createTestingModule({
      imports: [
        PlatformModule.forRoot({
          overrides: {
            DATABASE_URL: db.url,
            REDIS_URL: backend === 'redis' ? TEST_REDIS_URL : '',
            QUEUE_PREFIX: prefix,
            LOG_LEVEL: 'silent',
          },
          migrations: MIGRATIONS,
        }),
        SelftestModule,
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    try {
      const queue = app.get(Producer).queue;
      await queue.add('hello', { text: 'Сәлем, Тараз' }, { jobId: 'hello-1' });
      await queue.add('hello', { text: 'Сәлем, Тараз' }, { jobId: 'hello-1' });
      const seen = app.get(Seen);
      const deadline = Date.now() + 30_000;
      let state: string | undefined;
      while (state !== 'completed' && Date.now() < deadline) {
        state = await (await queue.getJob('hello-1'))?.getState();
        if (state !== 'completed') await new Promise((r) => setTimeout(r, 50));
      }
      expect(state).toBe('completed');
      expect(seen.jobs).toEqual([{ name: 'hello', data: { text: 'Сәлем, Тараз' } }]);
      if (backend === 'postgres') {
        const [{ n }] = await app
          .get(DataSource)
          .query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'bullmq'`);
        expect(n).toBeGreaterThan(0);
      }
    } finally {
      await app.close();
      await dropTestDatabase(db.name);
    }
  });
});
