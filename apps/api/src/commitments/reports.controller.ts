import { Body, Controller, Get, Param, Patch, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CorrectReportDto, ReportResponse, ReportsService, UploadedEvidence } from '@kelisim/commitments';
import { Access, Actor, CurrentActor } from '@kelisim/identity';
import { RequestMeta } from '@kelisim/memoranda';
import {
  ApiErrorResponses,
  ApiStandardErrors,
  DEFAULT_EVIDENCE_CONTENT_TYPES,
  LOCATION_RESPONSE_HEADERS,
  PageOf,
  PageQuery,
  SetsLocation,
} from '@kelisim/platform';
import { Meta } from '../memoranda/request-meta';
import { ApiUuidParam, uuidParam } from '../uuid-param';
import { EvidenceUploadInterceptor } from './evidence-upload.interceptor';

/** `filename*` carries the real (Kazakh, Russian) name; `filename` an ASCII stand-in for old clients. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Resolves when the response can take more bytes, or has closed. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Activity reports against commitments, and their evidence files. */
@ApiTags('commitments')
@ApiStandardErrors()
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post('commitments/:id/reports')
  @Access.authenticated()
  @UseInterceptors(EvidenceUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary: 'File an activity report with evidence files (a representative of a responsible party)',
  })
  @ApiUuidParam('id', 'Commitment id')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['report'],
      properties: {
        report: {
          type: 'string',
          description:
            'JSON: { date, summary, participants?, outcome?, links?: [url], occurrenceDate?, sha256?: [hex per file] }',
        },
        files: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'Evidence files' },
      },
    },
  })
  @ApiCreatedResponse({ type: ReportResponse, headers: LOCATION_RESPONSE_HEADERS })
  @ApiErrorResponses(409, 413, 415, 422)
  @SetsLocation((r) => `/reports/${r.id}`)
  file(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Req() req: Request & { files?: Record<string, UploadedEvidence[]> },
    @Meta() meta: RequestMeta,
  ) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    return this.reports.file(actor, id, body.report, req.files?.files ?? [], meta);
  }

  @Get('commitments/:id/reports')
  @Access.authenticated()
  @ApiOperation({ summary: 'Reports filed against a commitment, by date' })
  @ApiUuidParam('id', 'Commitment id')
  @ApiOkResponse({ type: PageOf(ReportResponse) })
  list(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Query() q: PageQuery) {
    return this.reports.list(actor, id, q);
  }

  @Get('reports/:id')
  @Access.authenticated()
  @ApiOperation({ summary: 'Read an activity report' })
  @ApiUuidParam('id', 'Report id')
  @ApiOkResponse({ type: ReportResponse })
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.reports.get(actor, id);
  }

  @Patch('reports/:id')
  @Access.authenticated()
  @ApiOperation({ summary: 'The coordinator corrects a report; the history keeps the earlier text' })
  @ApiUuidParam('id', 'Report id')
  @ApiOkResponse({ type: ReportResponse })
  @ApiErrorResponses(409)
  correct(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: CorrectReportDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.reports.correct(actor, id, dto, meta);
  }

  @Get('files/:id')
  @Access.authenticated()
  @ApiOperation({ summary: 'An evidence file’s bytes, with its content type and name' })
  @ApiUuidParam('id', 'File id')
  @ApiOkResponse({
    description: 'The file as uploaded, in its content type; `Content-Disposition` names it, `ETag` is its SHA-256',
    content: Object.fromEntries(
      [...DEFAULT_EVIDENCE_CONTENT_TYPES, 'application/octet-stream'].map((type) => [
        type,
        { schema: { type: 'string', format: 'binary' } },
      ]),
    ),
  })
  async content(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Res({ passthrough: false }) res: Response,
  ) {
    const { file, content } = await this.reports.content(actor, id);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('Content-Disposition', contentDisposition(file.name));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('ETag', `"${file.sha256}"`);
    res.setHeader('Cache-Control', 'private, max-age=0');
    // Chunk by chunk, each written when the client has taken the last: memory stays one chunk per download.
    try {
      for await (const chunk of content) {
        if (res.destroyed) return;
        if (!res.write(chunk)) await drained(res);
      }
      res.end();
    } catch (e) {
      // The status and headers are gone: a cut connection is the only honest answer left.
      res.destroy(e as Error);
    }
  }
}
