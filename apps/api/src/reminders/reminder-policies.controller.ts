import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Actor, CurrentActor, Role } from '@kelisim/identity';
import { ApiStandardErrors } from '@kelisim/platform';
import { PutReminderPoliciesDto, ReminderPoliciesResponse, ReminderPoliciesService } from '@kelisim/reminders';
import { ApiUuidParam, uuidParam } from '../uuid-param';

/** A memorandum's reminder policies (review, signing, term_end): defaults unless its coordinators changed them. */
@ApiTags('reminders')
@ApiStandardErrors()
@ApiUuidParam('id', 'Memorandum id')
@Controller('memoranda/:id/reminder-policies')
export class ReminderPoliciesController {
  constructor(private readonly policies: ReminderPoliciesService) {}

  @Get()
  @Access.roles(Role.Coordinator, Role.Supervisor, Role.Admin)
  @ApiOperation({ summary: "The memorandum's reminder policies, and the defaults" })
  @ApiOkResponse({ type: ReminderPoliciesResponse })
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.policies.get(id, actor);
  }

  @Put()
  @Access.roles(Role.Coordinator)
  @ApiOperation({ summary: 'Change policies for reminders scheduled from now on; a kind left out keeps its value' })
  @ApiOkResponse({ type: ReminderPoliciesResponse })
  put(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() body: PutReminderPoliciesDto) {
    return this.policies.put(id, actor, body);
  }
}
