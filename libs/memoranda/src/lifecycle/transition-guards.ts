/**
 * The guards of the transition table: conditions a rule needs beyond the state, each with the
 * refusal it answers when it fails. Pure; memorandum-transitions.ts names them in its rules.
 */
import { PartyRole } from '../vocabulary';

export enum Guard {
  AtLeastTwoSignatoryParties = 'at_least_two_signatory_parties',
  TermValid = 'term_valid',
  ReasonGiven = 'reason_given',
  CommentGiven = 'comment_given',
  RevisionHashCurrent = 'revision_hash_current',
  SignatoryParty = 'signatory_party',
  TurnReached = 'turn_reached',
  EffectiveDateReached = 'effective_date_reached',
  EndDateReached = 'end_date_reached',
  EndDateExtends = 'end_date_extends',
  TerminationNotPending = 'termination_not_pending',
  TerminationPending = 'termination_pending',
  TerminationDateReached = 'termination_date_reached',
  TermNotEnded = 'term_not_ended',
}

export interface Refusal {
  status: 403 | 409 | 422;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** What the guards look at; the service fills in what the rule's guards need. */
export interface GuardContext {
  /** Today in the memorandum's time zone, YYYY-MM-DD. */
  today?: string;
  effectiveDate?: string | null;
  endDate?: string | null;
  signatoryPartyCount?: number;
  reason?: string | null;
  comment?: string | null;
  givenRevisionHash?: string;
  currentRevisionHash?: string | null;
  partyRole?: PartyRole | null;
  turnReached?: boolean;
  newEndDate?: string;
  /** The date of a termination given earlier for a future date, or null. */
  pendingTerminationDate?: string | null;
}

const blank = (s: string | null | undefined) => !s || !s.trim();

const GUARDS: Record<Guard, (c: GuardContext) => Refusal | null> = {
  [Guard.AtLeastTwoSignatoryParties]: (c) =>
    (c.signatoryPartyCount ?? 0) >= 2
      ? null
      : {
          status: 422,
          code: 'too_few_signatory_parties',
          message: 'A memorandum needs at least two signatory parties to be submitted',
          details: { signatoryParties: c.signatoryPartyCount ?? 0 },
        },
  [Guard.TermValid]: (c) =>
    !c.effectiveDate || !c.endDate || c.endDate > c.effectiveDate
      ? null
      : { status: 422, code: 'invalid_term', message: 'endDate must be after effectiveDate' },
  [Guard.ReasonGiven]: (c) =>
    blank(c.reason) ? { status: 422, code: 'reason_required', message: 'A reason is required' } : null,
  [Guard.CommentGiven]: (c) =>
    blank(c.comment)
      ? { status: 422, code: 'comment_required', message: 'A comment is required for this decision' }
      : null,
  [Guard.RevisionHashCurrent]: (c) =>
    c.currentRevisionHash && c.givenRevisionHash === c.currentRevisionHash
      ? null
      : {
          status: 409,
          code: 'stale_revision',
          message: 'The revision hash does not name the current revision',
          details: { currentRevisionHash: c.currentRevisionHash ?? null },
        },
  [Guard.SignatoryParty]: (c) =>
    c.partyRole === PartyRole.Signatory
      ? null
      : {
          status: 403,
          code: 'not_a_signatory_party',
          message: 'Only signatory parties may do this',
          details: { partyRole: c.partyRole ?? null },
        },
  [Guard.TurnReached]: (c) =>
    c.turnReached !== false
      ? null
      : { status: 409, code: 'not_your_turn', message: 'Parties earlier in the order have not finished yet' },
  [Guard.EffectiveDateReached]: (c) =>
    !c.effectiveDate || (c.today !== undefined && c.today >= c.effectiveDate)
      ? null
      : { status: 409, code: 'not_yet_effective', message: `The effective date ${c.effectiveDate} has not come` },
  [Guard.EndDateReached]: (c) =>
    c.endDate && c.today !== undefined && c.today >= c.endDate
      ? null
      : { status: 409, code: 'end_date_not_reached', message: 'The end date has not come' },
  [Guard.EndDateExtends]: (c) =>
    c.newEndDate && (!c.endDate || c.newEndDate > c.endDate) && (!c.effectiveDate || c.newEndDate > c.effectiveDate)
      ? null
      : {
          status: 422,
          code: 'invalid_end_date',
          message: 'The new end date must be after the current end date and the effective date',
        },
  [Guard.TerminationNotPending]: (c) =>
    !c.pendingTerminationDate
      ? null
      : {
          status: 409,
          code: 'termination_already_scheduled',
          message: `A termination is already scheduled for ${c.pendingTerminationDate}`,
          details: { pendingTerminationDate: c.pendingTerminationDate },
        },
  [Guard.TerminationPending]: (c) =>
    c.pendingTerminationDate
      ? null
      : { status: 409, code: 'no_termination_scheduled', message: 'No termination is scheduled' },
  [Guard.TerminationDateReached]: (c) =>
    c.pendingTerminationDate && c.today !== undefined && c.today >= c.pendingTerminationDate
      ? null
      : { status: 409, code: 'termination_date_not_reached', message: 'The termination date has not come' },
  // A memorandum must not be executed (nor an amendment take effect) for a term that is already over.
  [Guard.TermNotEnded]: (c) =>
    !c.endDate || (c.today !== undefined && c.today < c.endDate)
      ? null
      : {
          status: 409,
          code: 'term_ended',
          message: `The end date ${c.endDate} has passed; change the term before signing`,
          details: { endDate: c.endDate },
        },
};

export function checkGuard(guard: Guard, context: GuardContext): Refusal | null {
  return GUARDS[guard](context);
}

/** The first guard of the rule that fails, in the rule's order, or null. */
export function checkGuards(rule: { guards: readonly Guard[] }, context: GuardContext, only?: Guard[]): Refusal | null {
  for (const g of rule.guards) {
    if (only && !only.includes(g)) continue;
    const refusal = GUARDS[g](context);
    if (refusal) return refusal;
  }
  return null;
}
