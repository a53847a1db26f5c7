import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, Actor, CurrentActor, Role } from '@kelisim/identity';
import {
  AmendmentDto,
  ApprovalDto,
  MemorandaService,
  MemorandumTransitionsService,
  OpenSigningDto,
  ReasonDto,
  RenewDto,
  RequestMeta,
  SignatureDto,
  TerminateDto,
} from '@kelisim/memoranda';
import { uuidParam } from '../uuid-param';
import { Meta } from './request-meta';

/** Review, signing and the transitions of an executed memorandum; each POST is one transition. */
@ApiTags('memoranda')
@Controller('memoranda/:id')
export class MemorandumLifecycleController {
  constructor(
    private readonly memoranda: MemorandaService,
    private readonly transitions: MemorandumTransitionsService,
  ) {}

  @Post('approvals')
  @Access.roles(Role.PartyRepresentative)
  decide(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: ApprovalDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.transitions.recordDecision(actor, id, dto, meta);
  }

  @Get('approvals')
  @Access.authenticated()
  approvals(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.memoranda.approvals(actor, id);
  }

  @Post('open-signing')
  @HttpCode(200)
  @Access.roles(Role.Coordinator)
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
  sign(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: SignatureDto,
    @Meta() meta: RequestMeta,
  ) {
    return this.transitions.sign(actor, id, dto, meta);
  }

  @Get('signatures')
  @Access.authenticated()
  signatures(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.memoranda.signatures(actor, id);
  }

  @Post('withdraw')
  @HttpCode(200)
  @Access.roles(Role.Coordinator)
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
