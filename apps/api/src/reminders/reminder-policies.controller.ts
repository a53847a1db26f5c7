import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, Actor, CurrentActor, Role } from '@kelisim/identity';
import { PutReminderPoliciesDto, ReminderPoliciesService } from '@kelisim/reminders';
import { uuidParam } from '../uuid-param';

/** A memorandum's reminder policies (review, signing, term_end): defaults unless its coordinators changed them. */
@ApiTags('reminders')
@Controller('memoranda/:id/reminder-policies')
export class ReminderPoliciesController {
  constructor(private readonly policies: ReminderPoliciesService) {}

  @Get()
  @Access.roles(Role.Coordinator, Role.Supervisor, Role.Admin)
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string) {
    return this.policies.get(id, actor);
  }

  @Put()
  @Access.roles(Role.Coordinator)
  put(@CurrentActor() actor: Actor, @Param('id', uuidParam('id')) id: string, @Body() body: PutReminderPoliciesDto) {
    return this.policies.put(id, actor, body);
  }
}
