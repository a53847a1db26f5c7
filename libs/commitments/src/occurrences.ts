/**
 * A commitment's dated occurrences: its due date, or the dates of its RFC 5545 RRULE (the `rrule`
 * package, on UTC-floating dates: a date is a calendar day, its time zone applies later). Never
 * before the memorandum's effective date nor past its end date, at most MAX_OCCURRENCES. Pure.
 */
import { rrulestr } from 'rrule';
import { addDays, FieldError, zonedDateTime } from '@kelisim/platform';
import { MAX_OCCURRENCES } from './vocabulary';

export interface Term {
  effectiveDate: string | null;
  endDate: string | null;
  timeZone: string;
}

export type OccurrencePlan = { ok: true; dates: string[] } | { ok: false; error: FieldError };

const utcDay = (date: string) => new Date(`${date}T00:00:00Z`);
const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const refuse = (field: string, message: string): OccurrencePlan => ({ ok: false, error: { field, message } });

/** The instant an unfinished occurrence dated `date` becomes overdue: the start of the next day in `timeZone`. */
export function overdueInstant(date: string, timeZone: string): Date {
  return zonedDateTime(addDays(date, 1), 0, 0, timeZone);
}

export function planOccurrences(input: { dueDate?: string | null; rrule?: string | null }, term: Term): OccurrencePlan {
  if (input.dueDate && input.rrule) return refuse('rrule', 'give either dueDate or rrule, not both');
  if (input.dueDate) {
    if (term.effectiveDate && input.dueDate < term.effectiveDate)
      return refuse('dueDate', `must not be before the memorandum's effective date ${term.effectiveDate}`);
    if (term.endDate && input.dueDate > term.endDate)
      return refuse('dueDate', `must not be after the memorandum's end date ${term.endDate}`);
    return { ok: true, dates: [input.dueDate] };
  }
  if (!input.rrule) return { ok: true, dates: [] };
  return recurrence(input.rrule, term);
}

function recurrence(text: string, term: Term): OccurrencePlan {
  if (/[^\x20-\x7e\n\r]/.test(text)) return refuse('rrule', 'must be an RFC 5545 RRULE in ASCII');
  const start = term.effectiveDate ?? null;
  let rule: ReturnType<typeof rrulestr>;
  try {
    rule = rrulestr(text.trim(), start ? { dtstart: utcDay(start) } : {});
  } catch (e) {
    return refuse('rrule', `is not a valid RFC 5545 RRULE: ${(e as Error).message}`);
  }
  const o = rule.options;
  if (!o.dtstart || Number.isNaN(o.dtstart.getTime()))
    return refuse('rrule', 'needs a DTSTART when the memorandum has no effective date');
  if (!o.until && !o.count && !term.endDate)
    return refuse('rrule', 'never ends: give COUNT or UNTIL, or an end date to the memorandum');
  const from = term.effectiveDate ? utcDay(term.effectiveDate) : o.dtstart;
  const to = term.endDate ? utcDay(term.endDate) : null;
  const dates: string[] = [];
  let tooMany = false;
  try {
    rule.all((d, i) => {
      if (i > 100_000) return false;
      if (to && d > to) return false;
      if (d >= from) dates.push(dayOf(d));
      if (dates.length > MAX_OCCURRENCES) {
        tooMany = true;
        return false;
      }
      return true;
    });
  } catch (e) {
    return refuse('rrule', `cannot be expanded: ${(e as Error).message}`);
  }
  if (tooMany) return refuse('rrule', `gives more than ${MAX_OCCURRENCES} occurrences within the memorandum's term`);
  if (!dates.length) return refuse('rrule', "gives no occurrence within the memorandum's term");
  return { ok: true, dates: [...new Set(dates)] };
}
