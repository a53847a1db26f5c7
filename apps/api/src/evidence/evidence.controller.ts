import { Controller, Get, HttpCode, Param, Post, Req, Res, StreamableFile, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Actor, CurrentActor } from '@kelisim/identity';
import {
  EVIDENCE_FILE_LIMIT,
  EvidencePendingResponse,
  EvidenceRecords,
  EvidenceSeal,
  EvidenceSealCertificateResponse,
  EvidenceService,
  EvidenceVerdictResponse,
  EvidenceVerifyPool,
} from '@kelisim/evidence';
import { ApiError, ApiErrorResponses, ApiStandardErrors } from '@kelisim/platform';
import { ApiUuidParam, uuidParam } from '../uuid-param';
import { EvidenceVerifyThrottlerGuard } from './evidence-verify-throttler.guard';

/** Largest PDF `POST /evidence/verify` reads; larger uploads are refused with 413 before they are read. */
export const EVIDENCE_UPLOAD_LIMIT = EVIDENCE_FILE_LIMIT;
const RETRY_AFTER_SECONDS = 2;

/**
 * The body, at most `limit` bytes; a larger one is read to its end and dropped (so that the client
 * gets the 413 rather than a reset connection), unless it goes on past four times the limit.
 */
async function readBody(req: Request, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 4 * limit) {
      req.destroy();
      break;
    }
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit)
    throw new ApiError(413, 'payload_too_large', `The file is larger than ${limit} bytes`, { limit }, [
      { field: 'body', message: `larger than ${limit} bytes` },
    ]);
  return Buffer.concat(chunks);
}

/** The evidence PDF of a memorandum, and its verification (which needs no sign-in). */
@ApiTags('evidence')
@ApiStandardErrors()
@Controller()
export class EvidenceController {
  constructor(
    private readonly evidence: EvidenceService,
    private readonly verifier: EvidenceVerifyPool,
    private readonly seal: EvidenceSeal,
    private readonly records: EvidenceRecords,
  ) {}

  @Get('evidence/seal-certificate')
  @Access.public()
  @ApiOperation({
    summary: 'The certificate that seals evidence PDFs; no sign-in',
    description:
      'PEM (`application/x-pem-file`) by default; with `Accept: application/json`, its SHA-256 fingerprint, ' +
      'subject, source and validity. Give the fingerprint (or the PEM) to `kelisim verify-evidence --trust`.',
  })
  @ApiProduces('application/x-pem-file', 'application/json')
  @ApiExtraModels(EvidenceSealCertificateResponse)
  @ApiOkResponse({
    description: 'The certificate (PEM), or with Accept: application/json its fingerprint and details',
    content: {
      'application/x-pem-file': { schema: { type: 'string' } },
      'application/json': { schema: { $ref: getSchemaPath(EvidenceSealCertificateResponse) } },
    },
  })
  async sealCertificate(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const certificate = await this.seal.certificate();
    res.setHeader('Vary', 'Accept');
    if (req.accepts(['application/x-pem-file', 'application/json']) === 'application/json') return certificate;
    res.setHeader('Content-Type', 'application/x-pem-file');
    res.setHeader('Content-Disposition', 'inline; filename="kelisim-evidence-seal.pem"');
    res.setHeader('X-Seal-Fingerprint', certificate.fingerprint);
    return certificate.pem;
  }

  @Get('memoranda/:id/evidence.pdf')
  @Access.authenticated()
  @ApiOperation({
    summary: 'The evidence PDF of the current history head; 202 while the worker renders it',
    description: 'PDF/A-3b with both texts, approvals, signatures, the history head and the evidence JSON attached.',
  })
  @ApiUuidParam('id', 'Memorandum id')
  @ApiProduces('application/pdf', 'application/json')
  @ApiOkResponse({
    description: 'The PDF',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
    headers: {
      'X-Evidence-Head': { description: 'The history head hash the PDF reflects', schema: { type: 'string' } },
    },
  })
  @ApiAcceptedResponse({
    type: EvidencePendingResponse,
    description: 'Being rendered; ask again after Retry-After seconds',
    headers: { 'Retry-After': { description: 'Seconds', schema: { type: 'integer', minimum: 0 } } },
  })
  async pdf(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const answer = await this.evidence.request(actor, id);
    if (!answer.ready) {
      res.status(202).setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      return { status: 'pending', headSeq: answer.headSeq, headHash: answer.headHash, retryAfter: RETRY_AFTER_SECONDS };
    }
    res.setHeader('X-Evidence-Head', answer.headHash);
    res.setHeader('ETag', `"${answer.sha256}"`);
    return new StreamableFile(answer.pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="kelisim-evidence-${id}.pdf"`,
      length: answer.pdf.length,
    });
  }

  @Post('evidence/verify')
  @HttpCode(200)
  @Access.public()
  @UseGuards(EvidenceVerifyThrottlerGuard)
  @ApiOperation({
    summary: 'Verify an evidence PDF (the file as the body); no sign-in',
    description:
      `Send the PDF as \`application/pdf\` (at most ${EVIDENCE_UPLOAD_LIMIT} bytes: larger, 413). Every check is ` +
      'listed; valid only when all pass. A file with more entries in a list than the verifier reads answers 422 ' +
      '`evidence_limit_exceeded` naming the list and its limit (docs/evidence.md). Verified in a worker thread with ' +
      'a time budget: beyond it, 503 `evidence_verification_timeout`; every thread busy, 503 with Retry-After. ' +
      'Limited per client address, or per user when signed in (429 `evidence_verify_throttled`, Retry-After). ' +
      "`record` compares the file with the server's records of the files it issued: whether this very file was " +
      'issued here, when, from which history head, and whether the memorandum’s keyed history still holds that ' +
      'head; a signed-in caller who may see the memorandum also gets its current head and to whom the file was ' +
      'issued (docs/evidence.md).',
  })
  @ApiConsumes('application/pdf', 'application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: EvidenceVerdictResponse })
  @ApiErrorResponses(413, 415, 422, 503)
  async verify(@Req() req: Request & { actor?: Actor }) {
    const body = await readBody(req, EVIDENCE_UPLOAD_LIMIT);
    if (!body.length) throw ApiError.validation([{ field: 'body', message: 'send the PDF file as the body' }]);
    // The verification thread takes the memory it is given: it gets a copy, the records keep the file.
    const verdict = await this.verifier.verify(Buffer.from(body), await this.seal.verificationTrust());
    // The throttler guard keeps the signed-in caller, if any (this route is public).
    return { ...verdict, record: await this.records.compare(body, verdict, req.actor ?? null) };
  }
}
