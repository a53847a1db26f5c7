/**
 * A commitment's recurrence rule (RFC 5545 RRULE) in words in the user's language: the common
 * FREQ / INTERVAL / COUNT / UNTIL / BYMONTH / BYMONTHDAY cases ("every 3 months until 31.12.2027",
 * "ежеквартально", "жыл сайын"), ICU plurals from the catalogue (`rrule.*`). Anything else (BYDAY,
 * BYSETPOS, DTSTART, several lines, a value out of range) gives `null`: the page shows the raw rule.
 */
import { KK_MONTHS } from '../../i18n/kk-months';

export type Translate = (key: string, values?: Record<string, string | number>) => string;

const FREQUENCIES = { DAILY: 'daily', WEEKLY: 'weekly', MONTHLY: 'monthly', YEARLY: 'yearly' } as const;
const KNOWN = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYMONTH', 'BYMONTHDAY', 'WKST']);

export interface ParsedRule {
  freq: keyof typeof FREQUENCIES;
  interval: number;
  count?: number;
  until?: string;
  byMonth: number[];
  byMonthDay: number[];
}

function integers(value: string, min: number, max: number): number[] | null {
  const out: number[] = [];
  for (const part of value.split(',')) {
    if (!/^[+-]?\d{1,4}$/.test(part)) return null;
    const n = Number(part);
    if (n < min || n > max || n === 0) return null;
    out.push(n);
  }
  return out;
}

/** The rule's parts, or null when it is not one of the common cases. */
export function parseRule(text: string): ParsedRule | null {
  const line = text.trim().replace(/^RRULE:/i, '');
  if (!line || /[\n\r]/.test(line)) return null;
  const parts = new Map<string, string>();
  for (const item of line.split(';')) {
    if (!item) continue;
    const [key, value, ...rest] = item.split('=');
    const k = key.toUpperCase();
    if (rest.length || value === undefined || !KNOWN.has(k) || parts.has(k)) return null;
    parts.set(k, value.toUpperCase());
  }
  const freq = parts.get('FREQ');
  if (!freq || !(freq in FREQUENCIES)) return null;
  const rule: ParsedRule = { freq: freq as ParsedRule['freq'], interval: 1, byMonth: [], byMonthDay: [] };
  const interval = parts.get('INTERVAL');
  if (interval !== undefined) {
    const n = integers(interval, 1, 1000);
    if (!n || n.length !== 1) return null;
    rule.interval = n[0];
  }
  const count = parts.get('COUNT');
  if (count !== undefined) {
    const n = integers(count, 1, 100000);
    if (!n || n.length !== 1) return null;
    rule.count = n[0];
  }
  const until = parts.get('UNTIL');
  if (until !== undefined) {
    const m = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(until);
    if (!m || rule.count !== undefined) return null;
    rule.until = `${m[1]}-${m[2]}-${m[3]}`;
  }
  const byMonth = parts.get('BYMONTH');
  if (byMonth !== undefined) {
    const n = integers(byMonth, 1, 12);
    if (!n) return null;
    rule.byMonth = n;
  }
  const byMonthDay = parts.get('BYMONTHDAY');
  if (byMonthDay !== undefined) {
    const n = integers(byMonthDay, -1, 31);
    if (!n) return null;
    rule.byMonthDay = n;
  }
  return rule;
}

export function monthName(month: number, language: string): string {
  if (language === 'kk') return KK_MONTHS[month - 1];
  return new Intl.DateTimeFormat(language, { month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, month - 1, 1)),
  );
}

/**
 * The rule in words, or null (show the raw rule). `formatDate` writes a YYYY-MM-DD calendar date
 * the way the page does.
 */
export function describeRule(
  text: string,
  language: string,
  t: Translate,
  formatDate: (isoDate: string) => string,
): string | null {
  const rule = parseRule(text);
  if (!rule) return null;
  const list = (items: string[]) => items.join(', ');
  const parts = [t(`rrule.${FREQUENCIES[rule.freq]}`, { n: rule.interval })];
  if (rule.byMonth.length)
    parts.push(t('rrule.inMonths', { months: list(rule.byMonth.map((m) => monthName(m, language))) }));
  if (rule.byMonthDay.length) {
    const days = rule.byMonthDay.filter((d) => d > 0);
    if (days.length) parts.push(t('rrule.onDays', { days: list(days.map(String)), count: days.length }));
    if (rule.byMonthDay.some((d) => d < 0)) parts.push(t('rrule.lastDay'));
  }
  if (rule.count !== undefined) parts.push(t('rrule.times', { count: rule.count }));
  let sentence = parts.join(', ');
  if (rule.until) sentence = t('rrule.until', { rule: sentence, date: formatDate(rule.until) });
  return sentence;
}
