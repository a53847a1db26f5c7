import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiStandardErrors } from '@kelisim/platform';
import type { Response } from 'express';
import { Access, Role } from '@kelisim/identity';
import { MetricsService } from './metrics.service';

/** Prometheus text format, for admins (scrape with an admin's personal API token). */
@ApiTags('operations')
@ApiStandardErrors()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Access.roles(Role.Admin)
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text format 0.0.4',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  async get(@Res() res: Response) {
    const { contentType, body } = await this.metrics.render();
    res.setHeader('Content-Type', contentType);
    res.send(body);
  }
}
