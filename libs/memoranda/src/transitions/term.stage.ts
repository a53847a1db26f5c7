/** The term: withdrawing, terminating (now or at a date), renewing, amending, and the timers' expiry and termination. */
import { ApiError, isCalendarDate, zonedDate } from '@kelisim/platform';
import { MemorandumEventType } from '../memorandum-events';
import { AmendmentDto, ReasonDto, RenewDto, TerminateDto } from '../dto/memorandum.dto';
import { isAmendmentState, LifecycleAction, TransitionRule } from '../lifecycle/memorandum-transitions';
import { MemorandumStatus } from '../vocabulary';
import {
  appendHistory,
  closeAmendment,
  enforceGuards,
  insertWorkingRevision,
  LockedMemorandum,
  moveTo,
  nextRevisionNumber,
  recordEvent,
} from './locked-memorandum';

export async function withdraw(locked: LockedMemorandum, rule: TransitionRule, dto: ReasonDto): Promise<void> {
  enforceGuards(rule, { reason: dto.reason });
  const from = locked.state;
  const reason = dto.reason!.trim();
  const revisionNumber = locked.memorandum.currentRevisionNumber;
  if (isAmendmentState(from)) {
    await moveTo(locked, rule.to, await closeAmendment(locked));
    await appendHistory(locked, 'withdraw_amendment', from, rule.to, { reason, revisionNumber });
    await recordEvent(locked, MemorandumEventType.MemorandumWithdrawn, { revisionNumber, amendment: true });
    return;
  }
  await moveTo(locked, rule.to);
  await appendHistory(locked, 'withdraw', from, rule.to, { reason, revisionNumber });
  await recordEvent(locked, MemorandumEventType.MemorandumWithdrawn, { revisionNumber });
}

/**
 * Terminates at once when the termination date (default: today in the memorandum's time zone)
 * has come; a future date leaves the memorandum in force with the termination pending, and the
 * schedule's `termination` item completes it at 00:00 of that date (endOnTimer).
 */
export async function terminate(locked: LockedMemorandum, rule: TransitionRule, dto: TerminateDto): Promise<void> {
  const m = locked.memorandum;
  enforceGuards(rule, { reason: dto.reason, pendingTerminationDate: m.pendingTerminationDate });
  const today = zonedDate(locked.now, m.timeZone);
  const date = dto.effectiveDate ?? today;
  // Not before the memorandum took effect, nor before it existed (a termination dated 1900 is a typo, not a fact).
  const earliest = [m.effectiveDate, zonedDate(m.createdAt, m.timeZone)]
    .filter((d): d is string => !!d)
    .sort()
    .pop()!;
  if (!isCalendarDate(date) || date < earliest) {
    throw ApiError.unprocessable(
      'invalid_termination_date',
      `The termination date must be a real date not before ${earliest}`,
      [{ field: 'effectiveDate', message: `must not be before ${earliest}` }],
    );
  }
  const from = locked.state;
  const reason = dto.reason!.trim();
  const revisionNumber = m.executedRevisionNumber;
  if (rule.deferredTo && date > today) {
    await moveTo(locked, from, { pendingTerminationDate: date, pendingTerminationReason: reason });
    await appendHistory(locked, 'schedule_termination', from, from, {
      reason,
      revisionNumber,
      data: { terminationDate: date },
    });
    await recordEvent(locked, MemorandumEventType.TerminationScheduled, {
      revisionNumber: revisionNumber ?? undefined,
      terminationDate: date,
      reason,
    });
    return;
  }
  await moveTo(locked, rule.to, {
    terminationDate: date,
    ...(isAmendmentState(from) ? await closeAmendment(locked) : {}),
  });
  await appendHistory(locked, 'terminate', from, rule.to, { reason, revisionNumber, data: { terminationDate: date } });
  await recordEvent(locked, MemorandumEventType.MemorandumTerminated, {
    revisionNumber: revisionNumber ?? undefined,
    terminationDate: date,
  });
}

export async function renew(locked: LockedMemorandum, rule: TransitionRule, dto: RenewDto): Promise<void> {
  const m = locked.memorandum;
  enforceGuards(rule, { endDate: m.endDate, effectiveDate: m.effectiveDate, newEndDate: dto.endDate });
  const previous = m.endDate;
  const from = locked.state;
  await moveTo(locked, rule.to, { endDate: dto.endDate });
  await appendHistory(locked, 'renew', from, rule.to, {
    revisionNumber: m.executedRevisionNumber,
    data: { previousEndDate: previous, endDate: dto.endDate },
  });
  await recordEvent(locked, MemorandumEventType.MemorandumRenewed, {
    revisionNumber: m.executedRevisionNumber ?? undefined,
    endDate: dto.endDate,
  });
}

/** Opens an amendment: a working revision copying the executed terms; the memorandum stays in force meanwhile. */
export async function amend(
  locked: LockedMemorandum,
  rule: TransitionRule,
  dto: AmendmentDto,
): Promise<{ revisionNumber: number }> {
  const number = await nextRevisionNumber(locked);
  await insertWorkingRevision(locked, number, 'amendment', locked.memorandum);
  await moveTo(locked, rule.to, { currentRevisionNumber: number, signingMode: null, ceremony: null });
  await appendHistory(locked, 'amend', MemorandumStatus.Active, rule.to, {
    revisionNumber: number,
    reason: dto.reason?.trim() || null,
    // The term the amendment starts from: what it leaves unchanged stays the memorandum's own when it takes effect.
    data: { effectiveDate: locked.memorandum.effectiveDate, endDate: locked.memorandum.endDate },
  });
  await recordEvent(locked, MemorandumEventType.AmendmentStarted, { revisionNumber: number });
  return { revisionNumber: number };
}

/**
 * The timers' end of the term (the rule's guards already hold): expiry at the end date, or the
 * pending termination at its date. An open amendment closes without taking effect.
 */
export async function endOnTimer(locked: LockedMemorandum, rule: TransitionRule): Promise<void> {
  const m = locked.memorandum;
  const from = locked.state;
  const closing = isAmendmentState(from) ? await closeAmendment(locked) : {};
  const noLongerPending = { pendingTerminationDate: null, pendingTerminationReason: null };
  if (rule.action === LifecycleAction.TerminateOnDate) {
    const date = m.pendingTerminationDate!;
    const reason = m.pendingTerminationReason;
    await moveTo(locked, rule.to, { ...closing, ...noLongerPending, terminationDate: date });
    await appendHistory(locked, 'terminated', from, rule.to, {
      reason,
      revisionNumber: m.executedRevisionNumber,
      system: true,
      data: { terminationDate: date },
    });
    await recordEvent(locked, MemorandumEventType.MemorandumTerminated, {
      revisionNumber: m.executedRevisionNumber ?? undefined,
      terminationDate: date,
      scheduled: true,
    });
    return;
  }
  // An expiry before the termination date ends the memorandum first; the termination no longer comes.
  await moveTo(locked, rule.to, { ...closing, ...noLongerPending });
  await appendHistory(locked, 'expired', from, rule.to, {
    revisionNumber: m.executedRevisionNumber,
    system: true,
    data: { endDate: m.endDate },
  });
  await recordEvent(locked, MemorandumEventType.MemorandumExpired, {
    revisionNumber: m.executedRevisionNumber ?? undefined,
  });
}
