import { dateIn, isCalendarDate, isIanaTimeZone } from './dates';
import { foldName, sameName } from './names';

describe('dates in a memorandum\'s time zone', () => {
  it('accepts IANA zones and refuses offsets and inventions', () => {
    expect(isIanaTimeZone('Asia/Almaty')).toBe(true);
    expect(isIanaTimeZone('UTC')).toBe(true);
    expect(isIanaTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isIanaTimeZone('+05:00')).toBe(false);
    expect(isIanaTimeZone('Mars/Olympus')).toBe(false);
    expect(isIanaTimeZone('asia/almaty')).toBe(false);
  });

  it('gives the calendar date in the zone, not in UTC', () => {
    const at = new Date('2021-09-27T20:30:00Z');
    expect(dateIn('UTC', at)).toBe('2021-09-27');
    expect(dateIn('Asia/Almaty', at)).toBe('2021-09-28');
  });

  it('knows real dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2021-9-28')).toBe(false);
  });
});

describe('typed names', () => {
  it('match after NFC, whitespace and case folding', () => {
    expect(sameName('  болатбек   УӘЛИ ', 'Болатбек Уәли')).toBe(true);
    expect(sameName('Болатбек Уа\u0301ли', 'Болатбек Уа\u0301ли'.normalize('NFC'))).toBe(true);
    expect(sameName('Болатбек Уали', 'Болатбек Уәли')).toBe(false);
    expect(foldName('Ә\u00a0Б')).toBe('ә б');
  });
});
