import { Actor, Language, Role } from '@kelisim/identity';
import { allowedActions } from './lifecycle/memorandum-transitions';
import { mayPerform } from './memorandum-access';
import { canSee } from './memorandum-visibility';
import { PartyRole } from './vocabulary';

const actor = (
  organisationId: string,
  roles: Role[],
  userId = 'u-' + organisationId,
  supervision?: Actor['supervision'],
): Actor => ({
  userId,
  organisationId,
  roles,
  fullName: 'X',
  email: 'x@example.kz',
  language: Language.Russian,
  tokenId: 't',
  ...(supervision ? { supervision } : {}),
});
const scoped = (s: Partial<NonNullable<Actor['supervision']>>) =>
  actor('elsewhere', [Role.Supervisor], 'sup', { global: false, organisationIds: [], memorandumIds: [], ...s });

const m = {
  id: 'm1',
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
  it('coordinating and party organisations see it; admins and global supervisors all; scoped supervisors their scope; others not', () => {
    expect(canSee(actor('coord', [Role.Coordinator]), m)).toBe(true);
    expect(canSee(actor('w', [Role.PartyRepresentative]), m)).toBe(true);
    expect(canSee(actor('elsewhere', [Role.Admin]), m)).toBe(true);
    expect(canSee(scoped({ global: true }), m)).toBe(true);
    expect(canSee(scoped({ organisationIds: ['a'] }), m)).toBe(true);
    expect(canSee(scoped({ memorandumIds: ['m1'] }), m)).toBe(true);
    expect(canSee(scoped({ organisationIds: ['b'], memorandumIds: ['m2'] }), m)).toBe(false);
    // No scope is no supervision: a supervisor created without one reads nothing beyond their organisation's.
    expect(canSee(actor('elsewhere', [Role.Supervisor]), m)).toBe(false);
    expect(canSee(actor('w', [Role.Supervisor]), m)).toBe(true);
    // A scope is a supervisor's: the same rows on another role open nothing.
    expect(
      canSee(actor('elsewhere', [Role.Coordinator], 'c', { global: true, organisationIds: [], memorandumIds: [] }), m),
    ).toBe(false);
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
