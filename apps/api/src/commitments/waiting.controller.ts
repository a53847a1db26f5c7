import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WaitingResponse, WaitingService } from '@kelisim/commitments';
import { Access, Actor, CurrentActor } from '@kelisim/identity';
import { ApiStandardErrors } from '@kelisim/platform';

/** "Waiting for you": what the signed-in user's organisation must do now, by the user's roles. */
@ApiTags('dashboard')
@ApiStandardErrors()
@Controller('me/waiting')
export class WaitingController {
  constructor(private readonly waiting: WaitingService) {}

  @Get()
  @Access.authenticated()
  @ApiOperation({
    summary: 'What waits for the signed-in user, by role',
    description:
      'Coordinator: drafts to revise (a party asked for changes or declined) or submit, approved memoranda to open ' +
      'for signing. Party representative: revisions awaiting the organisation’s decision (in ordered review, once ' +
      'its turn has come). Signatory: signatures awaiting the user (in sequential signing, once the turn has come). ' +
      'Party representative or coordinator: the organisation’s commitment dates due today or overdue. Only memoranda ' +
      'the user may see; at most 50 of each kind, oldest first.',
  })
  @ApiOkResponse({ type: WaitingResponse })
  list(@CurrentActor() actor: Actor) {
    return this.waiting.forActor(actor);
  }
}
