/**
 * The memorandum lifecycle as data: (state, action) → next state, who may act, and the guards
 * that must hold. Pure: no Nest, no database. MemorandumTransitionsService is its only user that
 * writes; docs/lifecycle.md is rendered from it (lifecycle-doc.ts) and checked by a unit test.
 *
 * An amendment is modelled as four extra lifecycle states (`amendment_draft` … `amendment_signing`):
 * the memorandum's status column stays `active` and the `amendment_status` column says where the
 * amendment is, so the memorandum remains in force under its executed revision meanwhile.
 */
import { Role } from '@kelisim/identity';
import { AmendmentStatus, MemorandumStatus } from '../vocabulary';
import { Guard, Refusal } from './transition-guards';

export * from './transition-guards';

export type AmendmentState = 'amendment_draft' | 'amendment_in_review' | 'amendment_approved' | 'amendment_signing';
export type LifecycleState = `${MemorandumStatus}` | AmendmentState;

export const LIFECYCLE_STATES: LifecycleState[] = [
  ...Object.values(MemorandumStatus),
  'amendment_draft',
  'amendment_in_review',
  'amendment_approved',
  'amendment_signing',
];

export enum LifecycleAction {
  Edit = 'edit',
  Submit = 'submit',
  Approve = 'approve',
  RequestChanges = 'request_changes',
  Decline = 'decline',
  Comment = 'comment',
  OpenSigning = 'open_signing',
  Sign = 'sign',
  Withdraw = 'withdraw',
  Activate = 'activate',
  Expire = 'expire',
  Terminate = 'terminate',
  /** The timed end of a termination given with a future date (the `terminate` rule's `deferredTo`). */
  TerminateOnDate = 'terminate_on_date',
  Renew = 'renew',
  Amend = 'amend',
}
export const LIFECYCLE_ACTIONS = Object.values(LifecycleAction);

/** Who performs an action; `coordinator` means a coordinator of the coordinating organisation. */
export type Performer = 'coordinator' | 'party' | 'signer' | 'timer';

/**
 * The roles of which a performer holds one (a signer signs electronically as a signatory or records
 * a ceremony as the coordinator). Derived, never decided on its own: memorandum-access.ts `admit`
 * is the one rule for who may act.
 */
export const PERFORMER_ROLES: Readonly<Record<Performer, Role[]>> = {
  coordinator: [Role.Coordinator],
  party: [Role.PartyRepresentative],
  signer: [Role.Signatory, Role.Coordinator],
  timer: [],
};

export interface TransitionRule {
  from: LifecycleState;
  action: LifecycleAction;
  to: LifecycleState;
  /** Where the memorandum goes, in the same transaction, when the action completes its stage (last approval, last signature). */
  whenComplete?: LifecycleState;
  performer: Performer;
  /**
   * The action has a date of its own (`terminate`'s effectiveDate): when that date is still in the
   * future (in the memorandum's time zone) the state stays, the action is recorded as pending and
   * this timed action completes it at that date.
   */
  deferredTo?: LifecycleAction;
  /** PERFORMER_ROLES of the performer, for documents and listings; empty for timed transitions. */
  roles: Role[];
  guards: Guard[];
}

const coordinator = (
  from: LifecycleState,
  action: LifecycleAction,
  to: LifecycleState,
  guards: Guard[] = [],
): TransitionRule => ({ from, action, to, performer: 'coordinator', roles: PERFORMER_ROLES.coordinator, guards });
const timer = (from: LifecycleState, action: LifecycleAction, to: LifecycleState, guards: Guard[]): TransitionRule => ({
  from,
  action,
  to,
  performer: 'timer',
  roles: PERFORMER_ROLES.timer,
  guards,
});

function review(from: LifecycleState, draft: LifecycleState, approved: LifecycleState): TransitionRule[] {
  const party = (
    action: LifecycleAction,
    to: LifecycleState,
    guards: Guard[],
    whenComplete?: LifecycleState,
  ): TransitionRule => ({
    from,
    action,
    to,
    performer: 'party',
    roles: PERFORMER_ROLES.party,
    guards,
    ...(whenComplete ? { whenComplete } : {}),
  });
  return [
    party(
      LifecycleAction.Approve,
      from,
      [Guard.SignatoryParty, Guard.RevisionHashCurrent, Guard.TurnReached],
      approved,
    ),
    party(LifecycleAction.RequestChanges, draft, [
      Guard.SignatoryParty,
      Guard.CommentGiven,
      Guard.RevisionHashCurrent,
      Guard.TurnReached,
    ]),
    party(LifecycleAction.Decline, draft, [
      Guard.SignatoryParty,
      Guard.CommentGiven,
      Guard.RevisionHashCurrent,
      Guard.TurnReached,
    ]),
    party(LifecycleAction.Comment, from, [Guard.CommentGiven, Guard.RevisionHashCurrent]),
  ];
}

const sign = (from: LifecycleState, whenComplete: LifecycleState): TransitionRule => ({
  from,
  action: LifecycleAction.Sign,
  to: from,
  whenComplete,
  performer: 'signer',
  roles: PERFORMER_ROLES.signer,
  guards: [Guard.SignatoryParty, Guard.RevisionHashCurrent, Guard.TurnReached, Guard.TermNotEnded],
});

/** While an amendment is open the memorandum is in force: it may still expire, be terminated or renewed. */
const inForce = (from: LifecycleState): TransitionRule[] => [
  timer(from, LifecycleAction.Expire, MemorandumStatus.Expired, [Guard.EndDateReached]),
  {
    ...coordinator(from, LifecycleAction.Terminate, MemorandumStatus.Terminated, [
      Guard.ReasonGiven,
      Guard.TerminationNotPending,
    ]),
    deferredTo: LifecycleAction.TerminateOnDate,
  },
  timer(from, LifecycleAction.TerminateOnDate, MemorandumStatus.Terminated, [
    Guard.TerminationPending,
    Guard.TerminationDateReached,
  ]),
  coordinator(from, LifecycleAction.Renew, from, [Guard.EndDateExtends]),
];

const S = MemorandumStatus;
const A = LifecycleAction;

export const MEMORANDUM_TRANSITIONS: readonly TransitionRule[] = [
  coordinator(S.Draft, A.Edit, S.Draft),
  coordinator(S.Draft, A.Submit, S.InReview, [Guard.AtLeastTwoSignatoryParties, Guard.TermValid]),
  coordinator(S.Draft, A.Withdraw, S.Withdrawn, [Guard.ReasonGiven]),

  ...review(S.InReview, S.Draft, S.Approved),
  coordinator(S.InReview, A.Withdraw, S.Withdrawn, [Guard.ReasonGiven]),

  coordinator(S.Approved, A.OpenSigning, S.Signing),
  coordinator(S.Approved, A.Withdraw, S.Withdrawn, [Guard.ReasonGiven]),

  sign(S.Signing, S.Executed),
  coordinator(S.Signing, A.Withdraw, S.Withdrawn, [Guard.ReasonGiven]),

  timer(S.Executed, A.Activate, S.Active, [Guard.EffectiveDateReached]),

  ...inForce(S.Active),
  coordinator(S.Active, A.Amend, 'amendment_draft'),

  coordinator('amendment_draft', A.Edit, 'amendment_draft'),
  coordinator('amendment_draft', A.Submit, 'amendment_in_review', [Guard.AtLeastTwoSignatoryParties, Guard.TermValid]),
  coordinator('amendment_draft', A.Withdraw, S.Active, [Guard.ReasonGiven]),
  ...inForce('amendment_draft'),

  ...review('amendment_in_review', 'amendment_draft', 'amendment_approved'),
  coordinator('amendment_in_review', A.Withdraw, S.Active, [Guard.ReasonGiven]),
  ...inForce('amendment_in_review'),

  coordinator('amendment_approved', A.OpenSigning, 'amendment_signing'),
  coordinator('amendment_approved', A.Withdraw, S.Active, [Guard.ReasonGiven]),
  ...inForce('amendment_approved'),

  sign('amendment_signing', S.Active),
  coordinator('amendment_signing', A.Withdraw, S.Active, [Guard.ReasonGiven]),
  ...inForce('amendment_signing'),
];

/** The lifecycle state of a memorandum row: its status, refined by an open amendment. */
export function lifecycleStateOf(m: {
  status: MemorandumStatus;
  amendmentStatus: AmendmentStatus | null;
}): LifecycleState {
  return m.status === MemorandumStatus.Active && m.amendmentStatus
    ? (`amendment_${m.amendmentStatus}` as AmendmentState)
    : m.status;
}

/** The columns that represent a lifecycle state. */
export function columnsOf(state: LifecycleState): {
  status: MemorandumStatus;
  amendmentStatus: AmendmentStatus | null;
} {
  if (state.startsWith('amendment_'))
    return { status: MemorandumStatus.Active, amendmentStatus: state.slice('amendment_'.length) as AmendmentStatus };
  return { status: state as MemorandumStatus, amendmentStatus: null };
}

export function isAmendmentState(state: LifecycleState): state is AmendmentState {
  return state.startsWith('amendment_');
}

export function findTransition(state: LifecycleState, action: LifecycleAction): TransitionRule | undefined {
  return MEMORANDUM_TRANSITIONS.find((r) => r.from === state && r.action === action);
}

/** Actions people may take in a state (timed ones excluded), optionally narrowed to what `may` accepts. */
export function allowedActions(
  state: LifecycleState,
  may: (rule: TransitionRule) => boolean = () => true,
): LifecycleAction[] {
  return MEMORANDUM_TRANSITIONS.filter((r) => r.from === state && r.performer !== 'timer' && may(r)).map(
    (r) => r.action,
  );
}

export type TransitionDecision = { ok: true; rule: TransitionRule } | { ok: false; refusal: Refusal };

/** Whether `action` is possible in `state`; refused with 409 invalid_transition and the allowed actions otherwise. */
export function decide(state: LifecycleState, action: LifecycleAction): TransitionDecision {
  const rule = findTransition(state, action);
  if (rule) return { ok: true, rule };
  return {
    ok: false,
    refusal: {
      status: 409,
      code: 'invalid_transition',
      message: `Cannot ${action.replace(/_/g, ' ')}: memorandum is ${state.replace(/_/g, ' ')}`,
      details: { state, allowedActions: allowedActions(state) },
    },
  };
}
