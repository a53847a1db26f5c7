import { getQueueToken } from '@nestjs/bullmq';
import { Inject, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AuthService, credentialOf, csrfRefusal, IdentityModule, Role } from '@kelisim/identity';
import { QueueName } from '@kelisim/platform';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';

/**
 * The queue dashboard is Express middleware, outside Nest's guards: it checks the bearer token or
 * the browser's session cookie itself and lets admins only. With the cookie, its own buttons
 * (retry, clean) pass on a same-host Origin, as they cannot send the CSRF header.
 */
export function adminOnly(auth: AuthService) {
  return async (req: Request & { id?: string }, res: Response, next: NextFunction) => {
    const credential = credentialOf(req);
    const actor = credential ? await auth.authenticate(credential.token).catch(() => null) : null;
    const requestId = req.id;
    if (!actor || !credential)
      return void res
        .status(401)
        .json({ statusCode: 401, code: 'unauthorized', message: 'Missing or invalid bearer token', requestId });
    const refusal = credential.via === 'cookie' ? csrfRefusal(req, credential.token, { originSuffices: true }) : null;
    if (refusal)
      return void res.status(403).json({ statusCode: 403, code: 'csrf_failed', message: refusal, requestId });
    if (!actor.roles.includes(Role.Admin)) {
      return void res.status(403).json({
        statusCode: 403,
        code: 'missing_role',
        message: 'The queue dashboard is for admins',
        details: { requiredRoles: [Role.Admin] },
        requestId,
      });
    }
    next();
  };
}

/**
 * /metrics (Prometheus, with every request timed) and the admin-only BullMQ dashboard (bull-board) at /admin/queues.
 * bull-board is mounted with its Express adapter directly (as @bull-board/nestjs does), which
 * keeps the ESM-only @nestjs/bull-shared out of the test runner. bull-board (and its UI's
 * server-side code) is loaded by the first admin who opens the dashboard, not at start-up.
 */
@Module({
  imports: [IdentityModule],
  controllers: [MetricsController],
  providers: [MetricsService],
})
export class OperationsModule implements NestModule {
  private readonly queues: Queue[];

  constructor(
    private readonly auth: AuthService,
    private readonly metrics: MetricsService,
    @Inject(getQueueToken(QueueName.Outbox)) outbox: Queue,
    @Inject(getQueueToken(QueueName.Schedule)) schedule: Queue,
    @Inject(getQueueToken(QueueName.Delivery)) delivery: Queue,
  ) {
    this.queues = [outbox, schedule, delivery];
  }

  private board?: Promise<RequestHandler>;

  private async createBoard(): Promise<RequestHandler> {
    const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/express'),
    ]);
    const board = new ExpressAdapter();
    board.setBasePath(QUEUE_DASHBOARD_ROUTE);
    createBullBoard({
      queues: this.queues.map((q) => new BullMQAdapter(q)),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'Kelisim queues' } },
    });
    return board.getRouter() as RequestHandler;
  }

  configure(consumer: MiddlewareConsumer) {
    const dashboard = (req: Request, res: Response, next: NextFunction) => {
      (this.board ??= this.createBoard()).then((router) => router(req, res, next), next);
    };
    consumer.apply(adminOnly(this.auth), dashboard).forRoutes(QUEUE_DASHBOARD_ROUTE);
    consumer.apply(this.metrics.timeRequests).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
