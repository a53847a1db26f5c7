/**
 * One rule for who may act on a memorandum, for reads and writes alike: `admit` answers "may this
 * actor do this action on this memorandum in this state, and if not, which refusal", in the order
 * visibility (404) → performer (403) → state (409). Who performs an action comes from the
 * transition table (`performer`), visibility from memorandum-visibility.ts (the one rule for reads
 * too); the guards (422/409, and the signatory-party 403) come after,
 * in the stage that does the work. Pure: no Nest, no database.
 */
import { Actor, hasRole, Role } from '@kelisim/identity';
import {
  checkGuards,
  decide,
  Guard,
  LifecycleAction,
  LifecycleState,
  MEMORANDUM_TRANSITIONS,
  Performer,
  PERFORMER_ROLES,
  TransitionRule,
} from './lifecycle/memorandum-transitions';
import { canSee } from './memorandum-visibility';
import { PartyRole, SignatureMethod } from './vocabulary';

export interface AccessView {
  /** The memorandum's id, for supervisors scoped to single memoranda. */
  id?: string;
  coordinatingOrganisationId: string;
  parties: Array<{ organisationId: string; role: PartyRole; signatoryUserIds: string[] }>;
}

type AccessParty = AccessView['parties'][number];

export interface AccessRefusal {
  status: 403 | 404 | 409 | 422;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type Admission =
  | {
      ok: true;
      rule: TransitionRule;
      /** The party the actor acts for; none when a coordinator acts. */ party?: AccessParty;
    }
  | { ok: false; refusal: AccessRefusal };

export function isCoordinatorOf(actor: Actor, m: AccessView): boolean {
  return hasRole(actor, Role.Coordinator) && actor.organisationId === m.coordinatingOrganisationId;
}

/** Who performs `action`, from the table (one performer per action; the table's spec checks it). */
export function performerOf(action: LifecycleAction): Performer {
  const rule = MEMORANDUM_TRANSITIONS.find((r) => r.action === action);
  if (!rule) throw new Error(`no transition has the action ${action}`);
  return rule.performer;
}

const forbidden = (
  message: string,
  code: string,
  details?: Record<string, unknown>,
): { ok: false; refusal: AccessRefusal } => ({
  ok: false,
  refusal: { status: 403, code, message, ...(details ? { details } : {}) },
});

const NOT_COORDINATOR = 'Only a coordinator of the coordinating organisation may do this';

/**
 * The performer check (403) for `action`, or the party the actor acts for. For `sign` the method
 * decides: in person is the coordinator's, electronic a signatory's of a party who, when the party
 * names its signatories, is one of them. Without a method (what could they do?) either way counts.
 */
function performerRefusal(
  actor: Actor,
  m: AccessView,
  action: LifecycleAction,
  method?: SignatureMethod,
): { ok: false; refusal: AccessRefusal } | { ok: true; party?: AccessParty } {
  const party = m.parties.find((p) => p.organisationId === actor.organisationId);
  const notAParty = () => forbidden('Your organisation is not a party to this memorandum', 'not_a_party');
  switch (performerOf(action)) {
    case 'timer':
      return forbidden('Only the timers do this', 'timed_action');
    case 'coordinator':
      return isCoordinatorOf(actor, m) ? { ok: true } : forbidden(NOT_COORDINATOR, 'not_coordinator');
    case 'party':
      if (!hasRole(actor, Role.PartyRepresentative)) {
        return forbidden('Only party representatives decide on a revision', 'missing_role', {
          requiredRoles: PERFORMER_ROLES.party,
        });
      }
      return party ? { ok: true, party } : notAParty();
    case 'signer': {
      if (method === SignatureMethod.InPerson || (method === undefined && isCoordinatorOf(actor, m))) {
        return isCoordinatorOf(actor, m)
          ? { ok: true }
          : forbidden(
              'Only a coordinator of the coordinating organisation records ceremony signatures',
              'not_coordinator',
            );
      }
      if (!hasRole(actor, Role.Signatory)) {
        return forbidden('Only signatories sign electronically', 'missing_role', { requiredRoles: [Role.Signatory] });
      }
      if (!party) return notAParty();
      if (party.signatoryUserIds.length && !party.signatoryUserIds.includes(actor.userId)) {
        return forbidden(
          'You are not a named signatory of your organisation for this memorandum',
          'not_a_named_signatory',
        );
      }
      return { ok: true, party };
    }
  }
}

/** May `actor` do `action` on memorandum `m` in `state`? The refusal says which answer they get if not. */
export function admit(
  actor: Actor,
  m: AccessView,
  state: LifecycleState,
  action: LifecycleAction,
  method?: SignatureMethod,
): Admission {
  if (!canSee(actor, m))
    return { ok: false, refusal: { status: 404, code: 'not_found', message: 'Memorandum not found' } };
  const performer = performerRefusal(actor, m, action, method);
  if (!performer.ok) return performer;
  const d = decide(state, action);
  if (!d.ok) return d;
  return { ok: true, rule: d.rule, ...(performer.party ? { party: performer.party } : {}) };
}

/**
 * Whether the actor could perform the rule now, for `allowedActions` of a read: admitted, and when
 * acting for a party, that party's role passes the rule's signatory-party guard.
 */
export function mayPerform(actor: Actor, m: AccessView, rule: TransitionRule): boolean {
  const a = admit(actor, m, rule.from, rule.action);
  if (!a.ok) return false;
  return !a.party || !checkGuards(rule, { partyRole: a.party.role }, [Guard.SignatoryParty]);
}
