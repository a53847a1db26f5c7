/// <reference types="jest" />
import { IntlMessageFormat } from 'intl-messageformat';
import { en } from '../../i18n/en';
import { kk } from '../../i18n/kk';
import { ru } from '../../i18n/ru';
import { describeRule, parseRule } from './recurrence';

const catalogues = { en, ru, kk } as const;
type Language = keyof typeof catalogues;

/** The real catalogue's ICU messages, as the page formats them. */
function words(rule: string, language: Language): string | null {
  const t = (key: string, values?: Record<string, string | number>) => {
    const [ns, name] = key.split('.');
    const message = (catalogues[language] as unknown as Record<string, Record<string, string>>)[ns][name];
    return String(new IntlMessageFormat(message, language).format(values));
  };
  const date = (iso: string) => iso.split('-').reverse().join('.');
  return describeRule(rule, language, t, date);
}

describe('recurrence rules in words', () => {
  it('says an interval with the language’s plural rules', () => {
    expect(words('FREQ=MONTHLY;INTERVAL=3;UNTIL=20271231', 'en')).toBe('every 3 months until 31.12.2027');
    expect(words('FREQ=MONTHLY;INTERVAL=3', 'ru')).toBe('ежеквартально');
    expect(words('FREQ=MONTHLY;INTERVAL=3', 'kk')).toBe('тоқсан сайын');
    expect(words('FREQ=YEARLY', 'kk')).toBe('жыл сайын');
    expect(words('FREQ=YEARLY', 'ru')).toBe('ежегодно');
    expect(words('FREQ=MONTHLY;INTERVAL=2', 'ru')).toBe('каждые 2 месяца');
    expect(words('FREQ=MONTHLY;INTERVAL=5', 'ru')).toBe('каждые 5 месяцев');
    expect(words('FREQ=MONTHLY;INTERVAL=21', 'ru')).toBe('каждый 21 месяц');
    expect(words('FREQ=WEEKLY;INTERVAL=2', 'en')).toBe('every 2 weeks');
    expect(words('FREQ=DAILY', 'en')).toBe('every day');
  });

  it('adds the day of the month, the months, the count and the end', () => {
    expect(words('FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=25', 'en')).toBe('every 3 months, on day 25');
    expect(words('FREQ=MONTHLY;BYMONTHDAY=25', 'ru')).toBe('ежемесячно, 25-го числа');
    expect(words('FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4', 'en')).toBe(
      'every month, on the last day of the month, 4 times',
    );
    expect(words('FREQ=YEARLY;BYMONTH=3,9;COUNT=2', 'ru')).toBe('ежегодно, месяцы: март, сентябрь, 2 раза');
    expect(words('FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1', 'kk')).toBe('жыл сайын, айлар: желтоқсан, айдың 1 күні');
    expect(words('RRULE:FREQ=MONTHLY;UNTIL=20271231T000000Z', 'ru')).toBe('ежемесячно до 31.12.2027');
    expect(words('FREQ=YEARLY;UNTIL=20271231', 'kk')).toBe('жыл сайын, соңғы күні — 31.12.2027');
    expect(words('FREQ=WEEKLY;COUNT=5', 'ru')).toBe('еженедельно, 5 раз');
  });

  it('gives null (the page shows the raw rule) for what it does not describe', () => {
    for (const rule of [
      'FREQ=WEEKLY;BYDAY=MO,WE',
      'FREQ=MONTHLY;BYSETPOS=-1;BYDAY=FR',
      'FREQ=HOURLY',
      'DTSTART:20260101\nRRULE:FREQ=MONTHLY',
      'FREQ=MONTHLY;INTERVAL=0',
      'FREQ=MONTHLY;BYMONTHDAY=-2',
      'FREQ=YEARLY;BYMONTH=13',
      'FREQ=MONTHLY;COUNT=3;UNTIL=20271231',
      'FREQ=MONTHLY;FREQ=YEARLY',
      'INTERVAL=2',
      'nonsense',
      '',
    ])
      expect(words(rule, 'en')).toBeNull();
    expect(parseRule('freq=monthly;interval=3')).toMatchObject({ freq: 'MONTHLY', interval: 3 });
  });
});
