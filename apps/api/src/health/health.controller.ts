import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiSchema, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Access } from '@kelisim/identity';
import { ApiErrorResponses, ApiFreeObject, ApiStandardErrors } from '@kelisim/platform';
import { QueueHealthIndicator } from '@kelisim/platform/http-app';

@ApiSchema({ name: 'Liveness' })
class LivenessResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

@ApiSchema({ name: 'Readiness' })
class ReadinessResponse {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) info?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) error?: Record<string, unknown>;
  @ApiFreeObject({ description: 'Each check (database, queue) with its status' }) details: Record<string, unknown>;
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

  @Get('ready')
  @Access.public()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the database and the queue backend answer' })
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiErrorResponses(503)
  ready() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2000 }), () => this.queue.check('queue')]);
  }
}
