/**
 * A commitment's recurrence (RFC 5545 RRULE) in words for the evidence PDF, in Kazakh, Russian or
 * English: the cases the product's editor offers and describes (apps/web's recurrence.ts) — FREQ
 * DAILY / WEEKLY / MONTHLY / YEARLY with INTERVAL, COUNT or UNTIL, BYMONTH, BYMONTHDAY ("ежеквартально,
 * 25-го числа до 31.12.2027", "тоқсан сайын, айдың 25 күні", "every 3 months on day 25 until 31
 * December 2027"). Anything else gives null: the caller prints the rule itself (in English, rrule's
 * own toText when it can). Pure; no Intl data needed for Kazakh.
 */
export type WordsLanguage = 'kk' | 'ru' | 'en';

const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
type Frequency = (typeof FREQUENCIES)[number];
const KNOWN = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYMONTH', 'BYMONTHDAY', 'WKST']);

export interface ParsedRecurrence {
  freq: Frequency;
  interval: number;
  count?: number;
  /** YYYY-MM-DD */
  until?: string;
  byMonth: number[];
  byMonthDay: number[];
}

const MONTHS: Record<WordsLanguage, string[]> = {
  kk: [
    'қаңтар',
    'ақпан',
    'наурыз',
    'сәуір',
    'мамыр',
    'маусым',
    'шілде',
    'тамыз',
    'қыркүйек',
    'қазан',
    'қараша',
    'желтоқсан',
  ],
  ru: [
    'январь',
    'февраль',
    'март',
    'апрель',
    'май',
    'июнь',
    'июль',
    'август',
    'сентябрь',
    'октябрь',
    'ноябрь',
    'декабрь',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};

function integers(value: string, min: number, max: number): number[] | null {
  const out: number[] = [];
  for (const part of value.split(',')) {
    if (!/^[+-]?\d{1,6}$/.test(part)) return null;
    const n = Number(part);
    if (n < min || n > max || n === 0) return null;
    out.push(n);
  }
  return out;
}

/** The rule's parts, or null when it is not one of the cases described in words. */
export function parseRecurrence(text: string): ParsedRecurrence | null {
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
  const freq = parts.get('FREQ') as Frequency | undefined;
  if (!freq || !FREQUENCIES.includes(freq)) return null;
  const rule: ParsedRecurrence = { freq, interval: 1, byMonth: [], byMonthDay: [] };
  const one = (key: string, min: number, max: number): number | null | undefined => {
    const value = parts.get(key);
    if (value === undefined) return undefined;
    const n = integers(value, min, max);
    return n && n.length === 1 ? n[0] : null;
  };
  const interval = one('INTERVAL', 1, 1000);
  if (interval === null) return null;
  if (interval !== undefined) rule.interval = interval;
  const count = one('COUNT', 1, 100000);
  if (count === null) return null;
  if (count !== undefined) rule.count = count;
  const until = parts.get('UNTIL');
  if (until !== undefined) {
    const m = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(until);
    if (!m || rule.count !== undefined) return null;
    rule.until = `${m[1]}-${m[2]}-${m[3]}`;
  }
  for (const [key, field, min, max] of [
    ['BYMONTH', 'byMonth', 1, 12],
    ['BYMONTHDAY', 'byMonthDay', -1, 31],
  ] as const) {
    const value = parts.get(key);
    if (value === undefined) continue;
    const n = integers(value, min, max);
    if (!n) return null;
    rule[field] = n;
  }
  return rule;
}

/** Russian plural forms: one (1, 21, 101), few (2–4, 22–24), many (0, 5–20, 25–30, 11–14). */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const [d, h] = [n % 10, n % 100];
  if (d === 1 && h !== 11) return one;
  if (d >= 2 && d <= 4 && (h < 12 || h > 14)) return few;
  return many;
}

const ruEvery = (n: number, one: string, few: string, many: string) =>
  `${ruPlural(n, 'каждый', 'каждые', 'каждые')} ${n} ${ruPlural(n, one, few, many)}`;

function frequencyWords(freq: Frequency, n: number, language: WordsLanguage): string {
  if (language === 'kk') {
    const unit = { DAILY: 'күн', WEEKLY: 'апта', MONTHLY: 'ай', YEARLY: 'жыл' }[freq];
    if (n === 1) return `${unit} сайын`;
    if (freq === 'MONTHLY' && n === 3) return 'тоқсан сайын';
    if (freq === 'MONTHLY' && n === 6) return 'жарты жыл сайын';
    return `${n} ${unit} сайын`;
  }
  if (language === 'ru') {
    switch (freq) {
      case 'DAILY':
        return n === 1 ? 'ежедневно' : ruEvery(n, 'день', 'дня', 'дней');
      case 'WEEKLY':
        // «каждую 21 неделю», «каждые 2 недели»
        return n === 1
          ? 'еженедельно'
          : `${ruPlural(n, 'каждую', 'каждые', 'каждые')} ${n} ${ruPlural(n, 'неделю', 'недели', 'недель')}`;
      case 'MONTHLY':
        if (n === 1) return 'ежемесячно';
        if (n === 3) return 'ежеквартально';
        if (n === 6) return 'раз в полгода';
        return ruEvery(n, 'месяц', 'месяца', 'месяцев');
      case 'YEARLY':
        return n === 1 ? 'ежегодно' : ruEvery(n, 'год', 'года', 'лет');
    }
  }
  const unit = { DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' }[freq];
  if (freq === 'MONTHLY' && n === 3) return 'every quarter';
  return n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
}

/** A calendar date YYYY-MM-DD as an official would write it: 31.12.2027, or 31 December 2027 in English. */
export function calendarDate(date: string, language: WordsLanguage): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  if (language === 'en') return `${Number(m[3])} ${MONTHS.en[Number(m[2]) - 1]} ${m[1]}`;
  return `${m[3]}.${m[2]}.${m[1]}`;
}

/** The rule in words, or null when it is not one of the cases above. */
export function recurrenceWords(text: string, language: WordsLanguage): string | null {
  const rule = parseRecurrence(text);
  if (!rule) return null;
  const list = (items: Array<string | number>) => items.join(', ');
  const parts = [frequencyWords(rule.freq, rule.interval, language)];
  if (rule.byMonth.length) {
    const months = list(rule.byMonth.map((m) => MONTHS[language][m - 1]));
    parts.push({ kk: `айлар: ${months}`, ru: `месяцы: ${months}`, en: `in ${months}` }[language]);
  }
  const days = rule.byMonthDay.filter((d) => d > 0);
  if (days.length) {
    const one = days.length === 1;
    parts.push(
      {
        kk: `айдың ${list(days)} күні`,
        ru: one ? `${days[0]}-го числа` : `числа: ${list(days)}`,
        en: one ? `on day ${days[0]}` : `on days ${list(days)}`,
      }[language],
    );
  }
  if (rule.byMonthDay.some((d) => d < 0))
    parts.push({ kk: 'айдың соңғы күні', ru: 'в последний день месяца', en: 'on the last day of the month' }[language]);
  if (rule.count !== undefined) {
    const n = rule.count;
    parts.push(
      {
        kk: `${n} рет`,
        ru: `${n} ${ruPlural(n, 'раз', 'раза', 'раз')}`,
        en: n === 1 ? 'once' : `${n} times`,
      }[language],
    );
  }
  let sentence = parts.join(', ');
  if (rule.until) {
    const date = calendarDate(rule.until, language);
    sentence = {
      kk: `${sentence}, соңғы күні — ${date}`,
      ru: `${sentence} до ${date}`,
      en: `${sentence} until ${date}`,
    }[language];
  }
  return sentence;
}
