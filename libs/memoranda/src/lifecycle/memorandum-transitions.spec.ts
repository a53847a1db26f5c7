import { Role } from '@kelisim/identity';
import { AmendmentStatus, MemorandumStatus, PartyRole } from '../vocabulary';
import {
  allowedActions,
  checkGuards,
  columnsOf,
  decide,
  Guard,
  LIFECYCLE_ACTIONS,
  LIFECYCLE_STATES,
  LifecycleAction as A,
  LifecycleState,
  lifecycleStateOf,
  MEMORANDUM_TRANSITIONS,
} from './memorandum-transitions';

/** Written out by hand from docs/lifecycle.md (the product rules), independently of the table, so that a wrong row fails. */
const inForce = { expire: 'expired', terminate: 'terminated', terminate_on_date: 'terminated' } as const;
const EXPECTED: Record<LifecycleState, Partial<Record<A, LifecycleState>>> = {
  draft: { edit: 'draft', submit: 'in_review', withdraw: 'withdrawn' },
  in_review: {
    approve: 'in_review',
    request_changes: 'draft',
    decline: 'draft',
    comment: 'in_review',
    withdraw: 'withdrawn',
  },
  approved: { open_signing: 'signing', withdraw: 'withdrawn' },
  signing: { sign: 'signing', withdraw: 'withdrawn' },
  executed: { activate: 'active' },
  active: { ...inForce, renew: 'active', amend: 'amendment_draft' },
  expired: {},
  terminated: {},
  withdrawn: {},
  amendment_draft: {
    edit: 'amendment_draft',
    submit: 'amendment_in_review',
    withdraw: 'active',
    ...inForce,
    renew: 'amendment_draft',
  },
  amendment_in_review: {
    approve: 'amendment_in_review',
    request_changes: 'amendment_draft',
    decline: 'amendment_draft',
    comment: 'amendment_in_review',
    withdraw: 'active',
    ...inForce,
    renew: 'amendment_in_review',
  },
  amendment_approved: {
    open_signing: 'amendment_signing',
    withdraw: 'active',
    ...inForce,
    renew: 'amendment_approved',
  },
  amendment_signing: { sign: 'amendment_signing', withdraw: 'active', ...inForce, renew: 'amendment_signing' },
};

const TIMED = new Set<A>([A.Activate, A.Expire, A.TerminateOnDate]);

describe('memorandum transition table', () => {
  const cases = LIFECYCLE_STATES.flatMap((state) => LIFECYCLE_ACTIONS.map((action) => [state, action] as const));

  it('covers 13 states × 15 actions', () => {
    expect(cases).toHaveLength(13 * 15);
  });

  it.each(cases)('%s × %s', (state, action) => {
    const expected = EXPECTED[state][action];
    const d = decide(state, action);
    if (expected) {
      expect(d.ok).toBe(true);
      if (d.ok) expect(d.rule.to).toBe(expected);
    } else {
      expect(d.ok).toBe(false);
      if (!d.ok) {
        expect(d.refusal.status).toBe(409);
        expect(d.refusal.code).toBe('invalid_transition');
        const people = Object.keys(EXPECTED[state]).filter((a) => !TIMED.has(a as A));
        expect(d.refusal.details).toEqual({ state, allowedActions: people });
      }
    }
  });

  it('has no duplicate (state, action) rows and no row outside the expected table', () => {
    const keys = MEMORANDUM_TRANSITIONS.map((r) => `${r.from}/${r.action}`);
    expect(new Set(keys).size).toBe(keys.length);
    const expectedCount = Object.values(EXPECTED).reduce((n, row) => n + Object.keys(row).length, 0);
    expect(MEMORANDUM_TRANSITIONS).toHaveLength(expectedCount);
  });

  it('completes a stage into the next state: last approval → approved, last signature → executed (or back to active for an amendment)', () => {
    expect(decide('in_review', A.Approve)).toMatchObject({ ok: true, rule: { whenComplete: 'approved' } });
    expect(decide('signing', A.Sign)).toMatchObject({ ok: true, rule: { whenComplete: 'executed' } });
    expect(decide('amendment_in_review', A.Approve)).toMatchObject({
      ok: true,
      rule: { whenComplete: 'amendment_approved' },
    });
    expect(decide('amendment_signing', A.Sign)).toMatchObject({ ok: true, rule: { whenComplete: 'active' } });
  });

  it('defers terminate to the timed terminate_on_date wherever the memorandum is in force, and nothing else', () => {
    const inForceStates: LifecycleState[] = [
      'active',
      'amendment_draft',
      'amendment_in_review',
      'amendment_approved',
      'amendment_signing',
    ];
    for (const state of inForceStates) {
      expect(decide(state, A.Terminate)).toMatchObject({
        ok: true,
        rule: { to: 'terminated', deferredTo: A.TerminateOnDate, performer: 'coordinator' },
      });
      expect(decide(state, A.TerminateOnDate)).toMatchObject({
        ok: true,
        rule: { to: 'terminated', performer: 'timer' },
      });
      expect(allowedActions(state)).not.toContain(A.TerminateOnDate);
    }
    expect(MEMORANDUM_TRANSITIONS.filter((r) => r.deferredTo).map((r) => r.action)).toEqual(
      inForceStates.map(() => A.Terminate),
    );
    expect(allowedActions('active')).toEqual(['terminate', 'renew', 'amend']);
  });

  it('gives each action to the right roles; timed ones to nobody', () => {
    for (const r of MEMORANDUM_TRANSITIONS) {
      if (TIMED.has(r.action)) expect(r.roles).toEqual([]);
      else if (r.action === A.Sign) expect(r.roles).toEqual([Role.Signatory, Role.Coordinator]);
      else if ([A.Approve, A.RequestChanges, A.Decline, A.Comment].includes(r.action))
        expect(r.roles).toEqual([Role.PartyRepresentative]);
      else expect(r.roles).toEqual([Role.Coordinator]);
    }
  });

  it('narrows allowed actions by a predicate (the caller)', () => {
    expect(allowedActions('in_review', (r) => r.roles.includes(Role.Coordinator))).toEqual(['withdraw']);
    expect(allowedActions('executed')).toEqual([]);
  });

  it('maps an open amendment to its own lifecycle state and back to columns', () => {
    expect(lifecycleStateOf({ status: MemorandumStatus.Active, amendmentStatus: AmendmentStatus.InReview })).toBe(
      'amendment_in_review',
    );
    expect(lifecycleStateOf({ status: MemorandumStatus.Signing, amendmentStatus: null })).toBe('signing');
    expect(columnsOf('amendment_signing')).toEqual({ status: 'active', amendmentStatus: 'signing' });
    expect(columnsOf('withdrawn')).toEqual({ status: 'withdrawn', amendmentStatus: null });
  });
});

describe('guards', () => {
  const rule = (state: LifecycleState, action: A) => {
    const d = decide(state, action);
    if (!d.ok) throw new Error('no rule');
    return d.rule;
  };

  it('submit needs two signatory parties and a valid term', () => {
    expect(checkGuards(rule('draft', A.Submit), { signatoryPartyCount: 1 })).toMatchObject({
      status: 422,
      code: 'too_few_signatory_parties',
    });
    expect(
      checkGuards(rule('draft', A.Submit), {
        signatoryPartyCount: 2,
        effectiveDate: '2021-09-28',
        endDate: '2021-09-28',
      }),
    ).toMatchObject({ code: 'invalid_term' });
    expect(
      checkGuards(rule('draft', A.Submit), {
        signatoryPartyCount: 5,
        effectiveDate: '2021-09-28',
        endDate: '2024-09-28',
      }),
    ).toBeNull();
  });

  it('a decision needs a signatory party, a comment for changes/decline, the current hash and the turn', () => {
    const base = {
      partyRole: PartyRole.Signatory,
      givenRevisionHash: 'a',
      currentRevisionHash: 'a',
      turnReached: true,
    };
    expect(checkGuards(rule('in_review', A.Approve), base)).toBeNull();
    expect(checkGuards(rule('in_review', A.Approve), { ...base, partyRole: PartyRole.Observer })).toMatchObject({
      status: 403,
      code: 'not_a_signatory_party',
    });
    expect(checkGuards(rule('in_review', A.Approve), { ...base, givenRevisionHash: 'b' })).toMatchObject({
      status: 409,
      code: 'stale_revision',
    });
    expect(checkGuards(rule('in_review', A.Approve), { ...base, turnReached: false })).toMatchObject({
      status: 409,
      code: 'not_your_turn',
    });
    expect(checkGuards(rule('in_review', A.Decline), { ...base, comment: '  ' })).toMatchObject({
      status: 422,
      code: 'comment_required',
    });
    expect(checkGuards(rule('in_review', A.RequestChanges), { ...base, comment: 'п. 3' })).toBeNull();
    expect(
      checkGuards(rule('in_review', A.Comment), { ...base, partyRole: PartyRole.Witness, comment: 'ok' }),
    ).toBeNull();
  });

  it('withdraw and terminate need a reason; renew must extend the term', () => {
    expect(checkGuards(rule('signing', A.Withdraw), { reason: '' })).toMatchObject({
      status: 422,
      code: 'reason_required',
    });
    expect(checkGuards(rule('active', A.Terminate), { reason: 'by agreement' })).toBeNull();
    expect(checkGuards(rule('active', A.Renew), { endDate: '2024-09-28', newEndDate: '2024-09-27' })).toMatchObject({
      code: 'invalid_end_date',
    });
    expect(checkGuards(rule('active', A.Renew), { endDate: '2024-09-28', newEndDate: '2027-09-28' })).toBeNull();
  });

  it('timed transitions wait for their date', () => {
    expect(
      checkGuards(rule('executed', A.Activate), { effectiveDate: '2021-09-28', today: '2021-09-27' }),
    ).toMatchObject({ code: 'not_yet_effective' });
    expect(checkGuards(rule('executed', A.Activate), { effectiveDate: '2021-09-28', today: '2021-09-28' })).toBeNull();
    expect(checkGuards(rule('executed', A.Activate), { effectiveDate: null, today: '2021-09-01' })).toBeNull();
    expect(checkGuards(rule('active', A.Expire), { endDate: '2024-09-28', today: '2024-09-27' })).toMatchObject({
      code: 'end_date_not_reached',
    });
    expect(checkGuards(rule('active', A.Expire), { endDate: null, today: '2099-01-01' })).toMatchObject({
      code: 'end_date_not_reached',
    });
    expect(checkGuards(rule('amendment_signing', A.Expire), { endDate: '2024-09-28', today: '2024-09-28' })).toBeNull();
  });

  it('a termination is refused while one is pending; the timed one needs a pending termination whose date has come', () => {
    expect(
      checkGuards(rule('active', A.Terminate), { reason: 'by agreement', pendingTerminationDate: null }),
    ).toBeNull();
    expect(
      checkGuards(rule('active', A.Terminate), { reason: 'again', pendingTerminationDate: '2030-01-01' }),
    ).toMatchObject({
      status: 409,
      code: 'termination_already_scheduled',
      details: { pendingTerminationDate: '2030-01-01' },
    });
    expect(
      checkGuards(rule('amendment_in_review', A.Terminate), { reason: 'again', pendingTerminationDate: '2030-01-01' }),
    ).toMatchObject({ code: 'termination_already_scheduled' });
    expect(
      checkGuards(rule('active', A.Terminate), { reason: ' ', pendingTerminationDate: '2030-01-01' }),
    ).toMatchObject({ status: 422, code: 'reason_required' });
    expect(
      checkGuards(rule('active', A.TerminateOnDate), { pendingTerminationDate: null, today: '2030-01-01' }),
    ).toMatchObject({ code: 'no_termination_scheduled' });
    expect(
      checkGuards(rule('active', A.TerminateOnDate), { pendingTerminationDate: '2030-01-01', today: '2029-12-31' }),
    ).toMatchObject({ code: 'termination_date_not_reached' });
    expect(
      checkGuards(rule('active', A.TerminateOnDate), { pendingTerminationDate: '2030-01-01', today: '2030-01-01' }),
    ).toBeNull();
    expect(
      checkGuards(rule('amendment_signing', A.TerminateOnDate), {
        pendingTerminationDate: '2030-01-01',
        today: '2030-02-01',
      }),
    ).toBeNull();
    expect(decide('expired', A.TerminateOnDate)).toMatchObject({ ok: false, refusal: { code: 'invalid_transition' } });
    expect(decide('terminated', A.TerminateOnDate)).toMatchObject({ ok: false });
  });

  it('every guard named in the table is known', () => {
    const known = new Set(Object.values(Guard));
    for (const r of MEMORANDUM_TRANSITIONS) for (const g of r.guards) expect(known.has(g)).toBe(true);
  });
});
