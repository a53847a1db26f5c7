/**
 * The model the lifecycle fuzz checks the API against: the pure transition table
 * (`MEMORANDUM_TRANSITIONS`) for states and performers, plus the little the table leaves to the
 * stages — who sees a memorandum, which party decided or signed which revision — written out here
 * on its own from the rules in docs/lifecycle.md, not from the code that enforces them.
 *
 * One memorandum, four parties: the coordinating organisation and two others sign, one witnesses.
 * Its effective date has come and its end date is far: execution activates it at once.
 */
import { LifecycleAction, LifecycleState, MEMORANDUM_TRANSITIONS, TransitionRule } from '@kelisim/memoranda';

export type OrgKey = 'coord' | 'p1' | 'p2' | 'witness' | 'outsider' | 'office';
export const SIGNATORY_ORGS: OrgKey[] = ['coord', 'p1', 'p2'];
export const PARTY_ORGS: OrgKey[] = [...SIGNATORY_ORGS, 'witness'];

export interface ModelUser {
  key: string;
  org: OrgKey;
  roles: Array<'coordinator' | 'party_representative' | 'signatory' | 'supervisor'>;
}

/** The cast: each kind of user the lifecycle knows, inside and outside the memorandum. */
export const USERS: ModelUser[] = [
  { key: 'coordinator', org: 'coord', roles: ['coordinator'] },
  { key: 'coord-rep', org: 'coord', roles: ['party_representative', 'signatory'] },
  { key: 'p1-rep', org: 'p1', roles: ['party_representative'] },
  { key: 'p1-signatory', org: 'p1', roles: ['signatory'] },
  { key: 'p2-rep-signatory', org: 'p2', roles: ['party_representative', 'signatory'] },
  { key: 'witness-rep', org: 'witness', roles: ['party_representative', 'signatory'] },
  { key: 'outsider', org: 'outsider', roles: ['coordinator', 'party_representative', 'signatory'] },
  { key: 'supervisor', org: 'office', roles: ['supervisor'] },
];

export type Step =
  | { kind: 'edit'; user: number }
  | { kind: 'submit'; user: number }
  | {
      kind: 'decide';
      user: number;
      decision: 'approve' | 'request_changes' | 'decline' | 'comment';
      staleHash: boolean;
      blankComment: boolean;
    }
  | { kind: 'open_signing'; user: number }
  | { kind: 'sign'; user: number; staleHash: boolean }
  | { kind: 'withdraw'; user: number; blankReason: boolean }
  | { kind: 'renew'; user: number; earlier: boolean }
  | { kind: 'terminate'; user: number; blankReason: boolean }
  | { kind: 'amend'; user: number };

export const ACTION_OF: Record<Step['kind'], (s: Step) => LifecycleAction> = {
  edit: () => LifecycleAction.Edit,
  submit: () => LifecycleAction.Submit,
  decide: (s) => (s as Extract<Step, { kind: 'decide' }>).decision as LifecycleAction,
  open_signing: () => LifecycleAction.OpenSigning,
  sign: () => LifecycleAction.Sign,
  withdraw: () => LifecycleAction.Withdraw,
  renew: () => LifecycleAction.Renew,
  terminate: () => LifecycleAction.Terminate,
  amend: () => LifecycleAction.Amend,
};

export interface ModelState {
  state: LifecycleState;
  /** The hash of the frozen revision under review or signing; null while a revision is being drafted. */
  currentHash: string | null;
  /** Every hash the memorandum has had, for stale answers. */
  pastHashes: string[];
  /** Organisations that approved, requested changes or declined the current revision. */
  decided: Set<OrgKey>;
  approved: Set<OrgKey>;
  signed: Set<OrgKey>;
  endDate: string;
}

/** What the model expects: a refusal with this status, or success leading to `next`. */
export type Expectation = { ok: false; status: number; why: string } | { ok: true; apply: (m: ModelState) => void };

const has = (u: ModelUser, role: ModelUser['roles'][number]) => u.roles.includes(role);

function ruleFor(state: LifecycleState, action: LifecycleAction): TransitionRule | undefined {
  return MEMORANDUM_TRANSITIONS.find((r) => r.from === state && r.action === action);
}

function performerOf(action: LifecycleAction) {
  return MEMORANDUM_TRANSITIONS.find((r) => r.action === action)!.performer;
}

export function expectationOf(m: ModelState, step: Step): Expectation {
  const user = USERS[step.user];
  const action = ACTION_OF[step.kind](step);
  const refuse = (status: number, why: string): Expectation => ({ ok: false, status, why });

  // 1. Visibility: the (global) supervisor sees all; others the memoranda their organisation coordinates or is party to.
  if (!has(user, 'supervisor') && !PARTY_ORGS.includes(user.org)) return refuse(404, 'invisible');

  // 2. Performer, from the table.
  switch (performerOf(action)) {
    case 'coordinator':
      if (!(has(user, 'coordinator') && user.org === 'coord')) return refuse(403, 'not the coordinator');
      break;
    case 'party':
      if (!has(user, 'party_representative')) return refuse(403, 'not a representative');
      break;
    case 'signer':
      if (!has(user, 'signatory')) return refuse(403, 'not a signatory');
      break;
    case 'timer':
      return refuse(403, 'timed');
  }

  // 3. State, from the table.
  const rule = ruleFor(m.state, action);
  if (!rule) return refuse(409, `no ${action} from ${m.state}`);

  // 4. Guards, in the rule's order, then what the stage checks after them.
  switch (step.kind) {
    case 'decide': {
      if (step.decision !== 'comment' && !SIGNATORY_ORGS.includes(user.org)) return refuse(403, 'witness decides');
      if (step.decision !== 'approve' && step.blankComment) return refuse(422, 'comment required');
      if (step.staleHash || !m.currentHash) return refuse(409, 'stale hash');
      if (step.decision === 'comment') return { ok: true, apply: () => undefined };
      if (m.decided.has(user.org)) return refuse(409, 'already decided');
      if (step.decision === 'approve') {
        return {
          ok: true,
          apply: (s) => {
            s.decided.add(user.org);
            s.approved.add(user.org);
            if (SIGNATORY_ORGS.every((o) => s.approved.has(o))) s.state = rule.whenComplete!;
          },
        };
      }
      return {
        ok: true,
        apply: (s) => {
          s.state = rule.to;
          s.currentHash = null;
          s.decided.clear();
          s.approved.clear();
        },
      };
    }
    case 'sign': {
      if (!SIGNATORY_ORGS.includes(user.org)) return refuse(403, 'witness signs');
      if (step.staleHash || !m.currentHash) return refuse(409, 'stale hash');
      if (m.signed.has(user.org)) return refuse(409, 'already signed');
      return {
        ok: true,
        apply: (s) => {
          s.signed.add(user.org);
          // The effective date has come: execution activates in the same transaction.
          if (SIGNATORY_ORGS.every((o) => s.signed.has(o)))
            s.state = rule.whenComplete === 'executed' ? 'active' : rule.whenComplete!;
        },
      };
    }
    case 'withdraw':
    case 'terminate':
      if (step.blankReason) return refuse(422, 'reason required');
      return { ok: true, apply: (s) => void (s.state = rule.to) };
    case 'renew':
      if (step.earlier) return refuse(422, 'end date does not extend');
      return {
        ok: true,
        apply: (s) => {
          s.endDate = addYear(s.endDate);
        },
      };
    case 'submit':
      return {
        ok: true,
        apply: (s) => {
          s.state = rule.to;
          s.decided.clear();
          s.approved.clear();
        },
      };
    case 'open_signing':
      return {
        ok: true,
        apply: (s) => {
          s.state = rule.to;
          s.signed.clear();
        },
      };
    case 'amend':
      return {
        ok: true,
        apply: (s) => {
          s.state = rule.to;
          s.currentHash = null;
        },
      };
    case 'edit':
      return { ok: true, apply: () => undefined };
  }
}

export function addYear(date: string): string {
  return `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`;
}

/** The lifecycle state of a row (status refined by an open amendment), as the table names it. */
export function lifecycleStateOf(status: string, amendmentStatus: string | null): string {
  return amendmentStatus ? `amendment_${amendmentStatus}` : status;
}

/**
 * The well-formed steps (current hash, comment and reason given) that the model allows now, the ones that move a
 * memorandum forward repeated so that runs reach signing and amendments; withdrawal and termination, which end a
 * run, are left to the random steps.
 */
export function allowedSteps(m: ModelState): Step[] {
  const out: Step[] = [];
  const times = (n: number, s: Step) => Array.from({ length: n }, () => s);
  for (let user = 0; user < USERS.length; user++) {
    const steps: Step[] = [
      { kind: 'edit', user },
      ...times(3, { kind: 'submit', user }),
      ...(['approve', 'approve', 'approve', 'approve', 'request_changes', 'decline', 'comment'] as const).map(
        (decision): Step => ({ kind: 'decide', user, decision, staleHash: false, blankComment: false }),
      ),
      ...times(3, { kind: 'open_signing', user }),
      ...times(4, { kind: 'sign', user, staleHash: false }),
      { kind: 'renew', user, earlier: false },
      ...times(2, { kind: 'amend', user }),
    ];
    out.push(...steps.filter((s) => expectationOf(m, s).ok));
  }
  return out;
}
