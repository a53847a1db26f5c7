import { Actor, Language, Role } from '@kelisim/identity';
import { allowedActions } from './lifecycle/memorandum-transitions';
import { canSee, mayPerform } from './memorandum-access';
import { PartyRole } from './vocabulary';

const actor = (organisationId: string, roles: Role[], userId = 'u-' + organisationId): Actor => ({
  userId,
  organisationId,
  roles,
  fullName: 'X',
  email: 'x@example.kz',
  language: Language.Russian,
  tokenId: 't',
});

const m = {
  coordinatingOrganisationId: 'coord',
  parties: [
    { organisationId: 'coord', role: PartyRole.Signatory, signatoryUserIds: [] },
    { organisationId: 'a', role: PartyRole.Signatory, signatoryUserIds: ['named'] },
    { organisationId: 'w', role: PartyRole.Witness, signatoryUserIds: [] },
  ],
};
const actions = (who: Actor, state: Parameters<typeof allowedActions>[0]) =>
  allowedActions(state, (r) => mayPerform(who, m, r));

describe('who sees a memorandum and what they may do in it', () => {
  it('coordinating and party organisations see it; supervisors and admins see all; others do not', () => {
    expect(canSee(actor('coord', [Role.Coordinator]), m)).toBe(true);
    expect(canSee(actor('w', [Role.PartyRepresentative]), m)).toBe(true);
    expect(canSee(actor('elsewhere', [Role.Supervisor]), m)).toBe(true);
    expect(canSee(actor('elsewhere', [Role.Admin]), m)).toBe(true);
    expect(canSee(actor('elsewhere', [Role.Coordinator, Role.PartyRepresentative, Role.Signatory]), m)).toBe(false);
  });

  it('gives each caller only the actions their role and organisation allow', () => {
    expect(actions(actor('coord', [Role.Coordinator]), 'draft')).toEqual(['edit', 'submit', 'withdraw']);
    expect(actions(actor('a', [Role.Coordinator]), 'draft')).toEqual([]);
    expect(actions(actor('a', [Role.PartyRepresentative]), 'in_review')).toEqual([
      'approve',
      'request_changes',
      'decline',
      'comment',
    ]);
    expect(actions(actor('w', [Role.PartyRepresentative]), 'in_review')).toEqual(['comment']);
    expect(actions(actor('elsewhere', [Role.Supervisor]), 'in_review')).toEqual([]);
    expect(actions(actor('a', [Role.Signatory], 'named'), 'signing')).toEqual(['sign']);
    expect(actions(actor('a', [Role.Signatory], 'not-named'), 'signing')).toEqual([]);
    expect(actions(actor('w', [Role.Signatory]), 'signing')).toEqual([]);
    expect(actions(actor('coord', [Role.Coordinator]), 'signing')).toEqual(['sign', 'withdraw']);
    expect(actions(actor('coord', [Role.Coordinator]), 'executed')).toEqual([]);
    expect(actions(actor('coord', [Role.Coordinator]), 'active')).toEqual(['terminate', 'renew', 'amend']);
  });
});
