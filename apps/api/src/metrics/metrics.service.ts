import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { QueueName } from '@kelisim/platform';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/**
 * Prometheus metrics, read at scrape time: queue depth per queue and state, the outbox backlog,
 * open scheduled items, and deliveries by channel and status. One registry per app instance
 * (tests boot several apps in one process).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Outbox) outbox: Queue,
    @InjectQueue(QueueName.Schedule) schedule: Queue,
    @InjectQueue(QueueName.Delivery) delivery: Queue,
  ) {
    const queues = [outbox, schedule, delivery];
    collectDefaultMetrics({ register: this.registry, prefix: 'kelisim_process_' });
    new Gauge({
      name: 'kelisim_queue_jobs',
      help: 'BullMQ jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const q of queues) {
          const counts = await q.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
        }
      },
    });
    const database = this.db;
    new Gauge({
      name: 'kelisim_outbox_pending_events',
      help: 'Outbox events not yet dispatched',
      registers: [this.registry],
      async collect() {
        const [row] = await database.query(`SELECT count(*)::int AS n FROM outbox_events WHERE processed_at IS NULL`);
        this.set(row.n);
      },
    });
    new Gauge({
      name: 'kelisim_scheduled_items',
      help: 'Scheduled items by kind and status',
      labelNames: ['kind', 'status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows: { kind: string; status: string; n: number }[] = await database.query(
          `SELECT kind, status, count(*)::int AS n FROM scheduled_items GROUP BY 1, 2`,
        );
        for (const r of rows) this.set({ kind: r.kind, status: r.status }, r.n);
      },
    });
    new Gauge({
      name: 'kelisim_notification_deliveries',
      help: 'Notification deliveries by channel and status',
      labelNames: ['channel', 'status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows: { channel: string; status: string; n: number }[] = await database.query(
          `SELECT channel, status, count(*)::int AS n FROM notification_deliveries GROUP BY 1, 2`,
        );
        for (const r of rows) this.set({ channel: r.channel, status: r.status }, r.n);
      },
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
