import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Clock, clusterMetrics, QueueName } from '@kelisim/platform';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/** The route template of a request (`/memoranda/{id}`), never the raw URL: bounded label values. */
export function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string' || path.includes('*')) return 'unmatched';
  return `${req.baseUrl}${path}`.replace(/:(\w+)/g, '{$1}');
}

/**
 * Prometheus metrics. HTTP durations and the Node.js process metrics are observed in this process
 * (`local`; with API_PROCESSES > 1, summed over the HTTP processes of the same command); the rest is
 * read from PostgreSQL and the queues at scrape time (`shared`), so counters such as transitions and
 * deliveries are the whole deployment's totals whichever replica is scraped, and survive restarts.
 * Registries per app instance (tests boot several apps in one process).
 */
@Injectable()
export class MetricsService {
  private readonly local = new Registry();
  private readonly shared = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly allProcesses = clusterMetrics(() => this.local.getMetricsAsJSON());

  constructor(
    @InjectDataSource() db: DataSource,
    clock: Clock,
    @InjectQueue(QueueName.Outbox) outbox: Queue,
    @InjectQueue(QueueName.Schedule) schedule: Queue,
    @InjectQueue(QueueName.Delivery) delivery: Queue,
  ) {
    const registers = [this.shared];
    const queues = [outbox, schedule, delivery];
    collectDefaultMetrics({ register: this.local, prefix: 'kelisim_' });
    this.httpDuration = new Histogram({
      name: 'kelisim_http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.local],
    });
    new Gauge({
      name: 'kelisim_queue_jobs',
      help: 'BullMQ jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        for (const q of queues) {
          const counts = await q.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'kelisim_outbox_pending_events',
      help: 'Outbox events not yet dispatched (the backlog)',
      registers,
      async collect() {
        const [row] = await db.query(`SELECT count(*)::int AS n FROM outbox_events WHERE processed_at IS NULL`);
        this.set(row.n);
      },
    });
    new Gauge({
      name: 'kelisim_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest outbox event not yet dispatched; 0 when none',
      registers,
      async collect() {
        const [row] = await db.query(`SELECT min(occurred_at) AS oldest FROM outbox_events WHERE processed_at IS NULL`);
        this.set(row.oldest ? Math.max(0, (clock.now().getTime() - new Date(row.oldest).getTime()) / 1000) : 0);
      },
    });
    new Counter({
      name: 'kelisim_transitions_total',
      help: 'Memorandum transitions recorded in the history, by action',
      labelNames: ['action'],
      registers,
      async collect() {
        const rows: { action: string; n: number }[] = await db.query(
          `SELECT action, count(*)::int AS n FROM history_events GROUP BY 1`,
        );
        this.reset();
        for (const r of rows) this.inc({ action: r.action }, r.n);
      },
    });
    new Counter({
      name: 'kelisim_deliveries_total',
      help: 'Finished notification deliveries by channel and outcome (sent, failed, skipped)',
      labelNames: ['channel', 'outcome'],
      registers,
      async collect() {
        const rows: { channel: string; status: string; n: number }[] = await db.query(
          `SELECT channel, status, count(*)::int AS n FROM notification_deliveries WHERE status <> 'pending' GROUP BY 1, 2`,
        );
        this.reset();
        for (const r of rows) this.inc({ channel: r.channel, outcome: r.status }, r.n);
      },
    });
    new Gauge({
      name: 'kelisim_scheduled_items',
      help: 'Scheduled items by kind and status',
      labelNames: ['kind', 'status'],
      registers,
      async collect() {
        this.reset();
        const rows: { kind: string; status: string; n: number }[] = await db.query(
          `SELECT kind, status, count(*)::int AS n FROM scheduled_items GROUP BY 1, 2`,
        );
        for (const r of rows) this.set({ kind: r.kind, status: r.status }, r.n);
      },
    });
    new Gauge({
      name: 'kelisim_notification_deliveries',
      help: 'Notification deliveries by channel and status (pending included)',
      labelNames: ['channel', 'status'],
      registers,
      async collect() {
        this.reset();
        const rows: { channel: string; status: string; n: number }[] = await db.query(
          `SELECT channel, status, count(*)::int AS n FROM notification_deliveries GROUP BY 1, 2`,
        );
        for (const r of rows) this.set({ channel: r.channel, status: r.status }, r.n);
      },
    });
  }

  /** Express middleware: times every request, labelled once the answer is finished and the route known. */
  readonly timeRequests = (req: Request, res: Response, next: NextFunction): void => {
    const end = this.httpDuration.startTimer();
    res.once('finish', () => end({ method: req.method, route: routeOf(req), status: String(res.statusCode) }));
    next();
  };

  async render(): Promise<{ contentType: string; body: string }> {
    const [local, shared] = await Promise.all([
      this.allProcesses ? this.allProcesses() : this.local.metrics(),
      this.shared.metrics(),
    ]);
    return { contentType: this.shared.contentType, body: `${local.trimEnd()}\n\n${shared}` };
  }
}
