import { Body, Controller, Get, HttpCode, Param, Post, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access, Actor, CurrentActor, Role } from '@kelisim/identity';
import {
  AmendmentDto,
  ApprovalDto,
  ApprovalRecordedResponse,
  ApprovalsResponse,
  approvalView,
  MemorandaService,
  MemorandumResponse,
  MemorandumTransitionsService,
  OpenSigningDto,
  ReasonDto,
  RenewDto,
  RequestMeta,
  SignatureDto,
  SignatureRecordedResponse,
  SignaturesResponse,
  signatureView,
  TerminateDto,
} from '@kelisim/memoranda';
import {
  ApiErrorResponses,
  ApiStandardErrors,
  ETAG_RESPONSE_HEADERS,
  LOCATION_RESPONSE_HEADERS,
  SetsEtag,
  SetsLocation,
} from '@kelisim/platform';
import { ApiUuidParam, uuidParam } from '../uuid-param';
import { Meta } from './request-meta';

/** Review, signing and the transitions of an executed memorandum; each POST is one transition. */
@ApiTags('memoranda')
@ApiStandardErrors()
@ApiUuidParam('id', 'Memorandum id')
@ApiErrorResponses(409, 422)
@Controller('memoranda/:id')
export class MemorandumLifecycleController {
  constructor(
    private readonly memoranda: MemorandaService,
    private readonly transitions: MemorandumTransitionsService,
  ) {}

  @Post('approvals')
  @Access.roles(Role.PartyRepresentative)
  @ApiOperation({ summary: "Decide on the revision in review for the caller's organisation (or comment)" })
  @ApiCreatedResponse({ type: ApprovalRecordedResponse, headers: LOCATION_RESPONSE_HEADERS })
  @SetsLocation((_, params) => `/memoranda/${params.id}/approvals`)
  async decide(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: ApprovalDto,
    @Meta() meta: RequestMeta,
  ) {
    const approval = await this.transitions.recordDecision(actor, id, dto, meta);
    return { ...approvalView(approval), memorandumStatus: approval.memorandumStatus };
  }

  @Get('approvals')
  @Access.authenticated()
  @ApiOperation({ summary: "Each party's decision on the current revision, and every decision and comment" })
  @ApiOkResponse({ type: ApprovalsResponse })
  approvals(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.memoranda.approvals(actor, id);
  }

  @Post('open-signing')
  @HttpCode(200)
  @Access.roles(Role.Coordinator)
  @ApiOperation({ summary: 'Open signing of the approved revision, in parallel or in party order' })
  @ApiOkResponse({ type: MemorandumResponse, headers: ETAG_RESPONSE_HEADERS })
  @SetsEtag()
  async openSigning(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: OpenSigningDto,
    @Meta() meta: RequestMeta,
  ) {
    await this.transitions.openSigning(actor, id, dto, meta);
    return this.memoranda.get(actor, id);
  }

  @Post('signatures')
  @Access.roles(Role.Signatory, Role.Coordinator)
  @ApiOperation({
    summary: 'Sign electronically or digitally, or record a ceremony signature (coordinator)',
    description:
      'A digital signature is verified first. With SIGNATURE_TSA_URL and SIGNATURE_TSA=require, a TSA that does not ' +
      'answer is 503 `signature_timestamp_unavailable` (or 503 `signature_verifier_unavailable` for a verifier ' +
      'service), and a timestamp that does not hold is 502 `signature_timestamp_invalid`; nothing is written.',
  })
  @ApiCreatedResponse({ type: SignatureRecordedResponse, headers: LOCATION_RESPONSE_HEADERS })
  @ApiErrorResponses(502, 503)
  @SetsLocation((_, params) => `/memoranda/${params.id}/signatures`)
  async sign(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: SignatureDto,
    @Meta() meta: RequestMeta,
  ) {
    const signature = await this.transitions.sign(actor, id, dto, meta);
    return { ...signatureView(signature), memorandumStatus: signature.memorandumStatus };
  }

  @Get('signatures')
  @Access.authenticated()
  @ApiOperation({ summary: "Signatures of the current revision, and each signatory party's progress" })
  @ApiOkResponse({ type: SignaturesResponse })
  signatures(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.memoranda.signatures(actor, id);
  }

  @Get('signatures/:signatureId/cms')
  @Access.authenticated()
  @ApiOperation({
    summary: "A digital signature's CMS as it was sent (DER), to verify it again anywhere against the canonical bytes",
  })
  @ApiUuidParam('signatureId', 'Signature id')
  @ApiProduces('application/pkcs7-signature')
  @ApiOkResponse({
    description: 'DER CMS SignedData, detached over GET /memoranda/{id}/revisions/{number}/canonical',
    content: { 'application/pkcs7-signature': { schema: { type: 'string', format: 'binary' } } },
  })
  async signatureCms(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Param('signatureId', uuidParam('signatureId')) signatureId: string,
  ) {
    const cms = await this.memoranda.signatureCms(actor, id, signatureId);
    return new StreamableFile(cms, {
      type: 'application/pkcs7-signature',
      disposition: `attachment; filename="signature-${signatureId}.p7s"`,
    });
  }

  @Post('withdraw')
  @HttpCode(200)
  @Access.roles(Role.Coordinator)
  @ApiOperation({ summary: 'Withdraw the memorandum before it is executed' })
  @ApiOkResponse({ type: MemorandumResponse, headers: ETAG_RESPONSE_HEADERS })
  @SetsEtag()
  async withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: ReasonDto,
    @Meta() meta: RequestMeta,
  ) {
    await this.transitions.withdraw(actor, id, dto, meta);
    return this.memoranda.get(actor, id);
  }

  @Post('terminate')
  @HttpCode(200)
  @Access.roles(Role.Coordinator)
  @ApiOperation({ summary: 'Terminate the active memorandum now, or schedule it for a future date' })
  @ApiOkResponse({ type: MemorandumResponse, headers: ETAG_RESPONSE_HEADERS })
  @SetsEtag()
  async terminate(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: TerminateDto,
    @Meta() meta: RequestMeta,
  ) {
    await this.transitions.terminate(actor, id, dto, meta);
    return this.memoranda.get(actor, id);
  }

  @Post('renew')
  @HttpCode(200)
  @Access.roles(Role.Coordinator)
  @ApiOperation({ summary: 'Renew the active memorandum with a new end date' })
  @ApiOkResponse({ type: MemorandumResponse, headers: ETAG_RESPONSE_HEADERS })
  @SetsEtag()
  async renew(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: RenewDto,
    @Meta() meta: RequestMeta,
  ) {
    await this.transitions.renew(actor, id, dto, meta);
    return this.memoranda.get(actor, id);
  }

  @Post('amendments')
  @Access.roles(Role.Coordinator)
  @ApiOperation({ summary: 'Start an amendment revision while the memorandum stays active' })
  @ApiCreatedResponse({ type: MemorandumResponse, headers: { ...LOCATION_RESPONSE_HEADERS, ...ETAG_RESPONSE_HEADERS } })
  @SetsLocation((m) => `/memoranda/${m.id}`)
  @SetsEtag()
  async amend(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: AmendmentDto,
    @Meta() meta: RequestMeta,
  ) {
    await this.transitions.amend(actor, id, dto, meta);
    return this.memoranda.get(actor, id);
  }
}
