/** Who may see a memorandum and who may perform a rule of the table; pure, shared by reads and writes. */
import { Actor, hasRole } from '@kelisim/identity/access/actor';
import { Role } from '@kelisim/identity/vocabulary';
import { LifecycleAction, TransitionRule } from './lifecycle/memorandum-transitions';
import { PartyRole } from './vocabulary';

export interface AccessView {
  coordinatingOrganisationId: string;
  parties: Array<{ organisationId: string; role: PartyRole; signatoryUserIds: string[] }>;
}

/** Supervisors and admins see all; others see memoranda their organisation coordinates or is party to. */
export function canSee(actor: Actor, m: AccessView): boolean {
  if (hasRole(actor, Role.Supervisor, Role.Admin)) return true;
  return m.coordinatingOrganisationId === actor.organisationId || m.parties.some((p) => p.organisationId === actor.organisationId);
}

export function isCoordinatorOf(actor: Actor, m: AccessView): boolean {
  return hasRole(actor, Role.Coordinator) && actor.organisationId === m.coordinatingOrganisationId;
}

/** Whether the actor could perform the rule (role and organisation; the guards come later). */
export function mayPerform(actor: Actor, m: AccessView, rule: TransitionRule): boolean {
  const party = m.parties.find((p) => p.organisationId === actor.organisationId);
  switch (rule.performer) {
    case 'timer': return false;
    case 'coordinator': return isCoordinatorOf(actor, m);
    case 'party':
      if (!party || !hasRole(actor, Role.PartyRepresentative)) return false;
      return rule.action === LifecycleAction.Comment || party.role === PartyRole.Signatory;
    case 'signer':
      if (isCoordinatorOf(actor, m)) return true;
      return !!party && party.role === PartyRole.Signatory && hasRole(actor, Role.Signatory)
        && (party.signatoryUserIds.length === 0 || party.signatoryUserIds.includes(actor.userId));
  }
}
