import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiSchema, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Access } from '@kelisim/identity';
import { ApiError, ApiErrorResponses, ApiFreeObject, ApiStandardErrors } from '@kelisim/platform';
import { QueueHealthIndicator } from '@kelisim/platform/http-app';

@ApiSchema({ name: 'Liveness' })
class LivenessResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

@ApiSchema({ name: 'Readiness' })
class ReadinessResponse {
  @ApiProperty({ enum: ['ok'], description: 'The process can serve: its database answers' }) status: 'ok';
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The checks that are up' })
  info?: Record<string, unknown>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The checks that are down but not needed to serve (Redis: the queue, while work waits in the outbox)',
  })
  error?: Record<string, unknown>;
  @ApiFreeObject({ description: 'Each check (database, queue) with its status, up or down' })
  details: Record<string, unknown>;
}

@ApiTags('operations')
@ApiStandardErrors({ public: true })
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly queue: QueueHealthIndicator,
  ) {}

  @Get()
  @Access.public()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LivenessResponse })
  live() {
    return { status: 'ok' };
  }

  /**
   * Ready when the database answers: every request needs it. The queue backend is reported but
   * not required: a request never waits on Redis (transitions leave their work in the PostgreSQL
   * outbox; login and verification limits count in the process meanwhile), so an API whose Redis
   * is down still serves, and taking it out of a load balancer would turn a delay into an outage.
   * With the PostgreSQL queue backend the queue is the database itself. docs/operations.md, "Health".
   */
  @Get('ready')
  @Access.public()
  // Not cached; documented here (Terminus would declare its own 503 body, not ErrorBody).
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness: the database answers (the queue backend is reported, not required)',
    description:
      '200 while the database answers, with the queue backend under `details.queue` (`status`: `up` or `down`, ' +
      'and under `error` when down). 503 `not_ready` when the database does not answer, `shutting_down` while ' +
      'the process stops; `details.checks` holds each check.',
  })
  @ApiOkResponse({ type: ReadinessResponse, description: 'Ready to serve: the database answers' })
  @ApiErrorResponses(503)
  async ready() {
    const [queue, database] = await Promise.all([
      this.queue.check('queue'),
      this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]).catch((e: unknown) => e),
    ]);
    if (database instanceof ServiceUnavailableException) {
      const body = database.getResponse() as HealthCheckResult;
      const stopping = body.status === 'shutting_down';
      throw new ApiError(
        503,
        stopping ? 'shutting_down' : 'not_ready',
        stopping ? 'The process is shutting down' : 'The database does not answer',
        { checks: { ...body.details, ...queue } },
      );
    }
    if (database instanceof Error) throw database;
    const result = database as HealthCheckResult;
    const up = queue.queue.status === 'up';
    return {
      status: 'ok' as const,
      info: { ...result.info, ...(up ? queue : {}) },
      ...(up ? {} : { error: queue }),
      details: { ...result.details, ...queue },
    };
  }
}
