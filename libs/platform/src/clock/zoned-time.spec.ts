import { addDays, isCalendarDate, isIanaTimeZone, outsideQuietHours, zonedDate, zonedDateTime } from './zoned-time';

describe('zoned time', () => {
  it('reads a date at a wall-clock time in the memorandum time zone', () => {
    expect(zonedDateTime('2021-10-01', 0, 0, 'Asia/Almaty').toISOString()).toBe('2021-09-30T18:00:00.000Z');
    expect(zonedDateTime('2021-03-28', 9, 0, 'Europe/Berlin').toISOString()).toBe('2021-03-28T07:00:00.000Z');
    expect(zonedDateTime('2021-01-10', 9, 0, 'Europe/Berlin').toISOString()).toBe('2021-01-10T08:00:00.000Z');
    expect(zonedDate(new Date('2021-09-30T19:30:00Z'), 'Asia/Almaty')).toBe('2021-10-01');
    expect(addDays('2021-12-31', 1)).toBe('2022-01-01');
    expect(addDays('2022-03-01', -90)).toBe('2021-12-01');
  });

  it('moves a time inside quiet hours (21:00–09:00 local) to the next morning', () => {
    const tz = 'Asia/Almaty'; // UTC+6 in 2021
    expect(outsideQuietHours(new Date('2021-09-20T16:30:00Z'), tz).toISOString()).toBe('2021-09-21T03:00:00.000Z'); // 22:30 → 09:00 next day
    expect(outsideQuietHours(new Date('2021-09-20T20:00:00Z'), tz).toISOString()).toBe('2021-09-21T03:00:00.000Z'); // 02:00 → 09:00 same day
    expect(outsideQuietHours(new Date('2021-09-20T05:00:00Z'), tz).toISOString()).toBe('2021-09-20T05:00:00.000Z'); // 11:00 stays
    expect(outsideQuietHours(new Date('2021-09-20T03:00:00Z'), tz).toISOString()).toBe('2021-09-20T03:00:00.000Z'); // 09:00 stays
  });
});

describe('zones and dates', () => {
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
    expect(zonedDate(at, 'UTC')).toBe('2021-09-27');
    expect(zonedDate(at, 'Asia/Almaty')).toBe('2021-09-28');
  });

  it('knows real dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2021-9-28')).toBe(false);
  });
});
