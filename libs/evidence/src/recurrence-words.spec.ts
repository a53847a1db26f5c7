import { calendarDate, parseRecurrence, recurrenceWords, ruPlural } from './recurrence-words';

describe('recurrence in words (evidence PDF)', () => {
  it.each([
    [
      'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=25',
      'тоқсан сайын, айдың 25 күні',
      'ежеквартально, 25-го числа',
      'every quarter, on day 25',
    ],
    ['RRULE:FREQ=MONTHLY', 'ай сайын', 'ежемесячно', 'every month'],
    ['FREQ=MONTHLY;INTERVAL=6', 'жарты жыл сайын', 'раз в полгода', 'every 6 months'],
    [
      'FREQ=YEARLY;BYMONTH=1,7',
      'жыл сайын, айлар: қаңтар, шілде',
      'ежегодно, месяцы: январь, июль',
      'every year, in January, July',
    ],
    ['FREQ=WEEKLY;INTERVAL=2;COUNT=3', '2 апта сайын, 3 рет', 'каждые 2 недели, 3 раза', 'every 2 weeks, 3 times'],
    ['FREQ=WEEKLY;INTERVAL=21', '21 апта сайын', 'каждую 21 неделю', 'every 21 weeks'],
    ['FREQ=DAILY;COUNT=1', 'күн сайын, 1 рет', 'ежедневно, 1 раз', 'every day, once'],
    ['FREQ=DAILY;INTERVAL=5;COUNT=12', '5 күн сайын, 12 рет', 'каждые 5 дней, 12 раз', 'every 5 days, 12 times'],
    ['FREQ=YEARLY;INTERVAL=2', '2 жыл сайын', 'каждые 2 года', 'every 2 years'],
    ['FREQ=YEARLY;INTERVAL=5', '5 жыл сайын', 'каждые 5 лет', 'every 5 years'],
    ['FREQ=MONTHLY;INTERVAL=21', '21 ай сайын', 'каждый 21 месяц', 'every 21 months'],
    [
      'FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20271231',
      'ай сайын, айдың соңғы күні, соңғы күні — 31.12.2027',
      'ежемесячно, в последний день месяца до 31.12.2027',
      'every month, on the last day of the month until 31 December 2027',
    ],
    [
      'FREQ=MONTHLY;BYMONTHDAY=1,15;UNTIL=20240630T000000Z',
      'ай сайын, айдың 1, 15 күні, соңғы күні — 30.06.2024',
      'ежемесячно, числа: 1, 15 до 30.06.2024',
      'every month, on days 1, 15 until 30 June 2024',
    ],
  ])('%s', (rule, kk, ru, en) => {
    expect(recurrenceWords(rule, 'kk')).toBe(kk);
    expect(recurrenceWords(rule, 'ru')).toBe(ru);
    expect(recurrenceWords(rule, 'en')).toBe(en);
  });

  it.each([
    ['FREQ=WEEKLY;BYDAY=MO', 'BYDAY is not described'],
    ['FREQ=HOURLY', 'not a frequency the product describes'],
    ['FREQ=MONTHLY;COUNT=3;UNTIL=20271231', 'COUNT and UNTIL together'],
    ['FREQ=MONTHLY;INTERVAL=0', 'interval out of range'],
    ['FREQ=MONTHLY;BYMONTH=13', 'month out of range'],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'day out of range'],
    ['FREQ=MONTHLY;FREQ=YEARLY', 'a key twice'],
    ['FREQ=MONTHLY\nFREQ=YEARLY', 'two lines'],
    ['DTSTART:20210101\nRRULE:FREQ=MONTHLY', 'DTSTART'],
    ['', 'empty'],
    ['FREQ=MONTHLY;UNTIL=2027-12-31', 'a date not in RFC 5545 form'],
  ])('%s → null (%s)', (rule) => {
    expect(parseRecurrence(rule)).toBeNull();
    expect(recurrenceWords(rule, 'ru')).toBeNull();
  });

  it('Russian plurals', () => {
    const forms = (n: number) => ruPlural(n, 'one', 'few', 'many');
    expect([1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112, 122].map(forms)).toEqual([
      'one',
      'few',
      'few',
      'many',
      'many',
      'many',
      'many',
      'one',
      'few',
      'many',
      'one',
      'many',
      'many',
      'few',
    ]);
  });

  it('calendar dates as officials write them', () => {
    expect(calendarDate('2021-09-28', 'kk')).toBe('28.09.2021');
    expect(calendarDate('2021-09-28', 'ru')).toBe('28.09.2021');
    expect(calendarDate('2021-09-28', 'en')).toBe('28 September 2021');
  });
});
