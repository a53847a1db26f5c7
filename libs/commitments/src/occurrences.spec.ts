import { overdueInstant, planOccurrences } from './occurrences';

const TERM = { effectiveDate: '2021-09-28', endDate: '2024-09-28', timeZone: 'Asia/Almaty' };

describe('occurrences of a commitment', () => {
  it('a due date is one occurrence, inside the term only', () => {
    expect(planOccurrences({ dueDate: '2022-09-28' }, TERM)).toEqual({ ok: true, dates: ['2022-09-28'] });
    expect(planOccurrences({ dueDate: '2024-09-29' }, TERM)).toMatchObject({ ok: false, error: { field: 'dueDate' } });
    expect(planOccurrences({ dueDate: '2021-09-27' }, TERM)).toMatchObject({ ok: false, error: { field: 'dueDate' } });
  });

  it('a quarterly RRULE from the effective date gives 13 dates up to and including the end date', () => {
    const plan = planOccurrences({ rrule: 'FREQ=MONTHLY;INTERVAL=3' }, TERM);
    expect(plan.ok && plan.dates.length).toBe(13);
    expect(plan.ok && [plan.dates[0], plan.dates[12]]).toEqual(['2021-09-28', '2024-09-28']);
  });

  it('refuses a malformed rule, one that never ends without an end date, and one over 500 dates', () => {
    expect(planOccurrences({ rrule: 'FREQ=SOMETIMES' }, TERM)).toMatchObject({ ok: false, error: { field: 'rrule' } });
    const open = planOccurrences({ rrule: 'FREQ=WEEKLY' }, { ...TERM, endDate: null });
    expect(open).toMatchObject({
      ok: false,
      error: { field: 'rrule', message: expect.stringContaining('never ends') },
    });
    const daily = planOccurrences({ rrule: 'FREQ=DAILY' }, TERM);
    expect(daily).toMatchObject({ ok: false, error: { message: expect.stringContaining('more than 500') } });
    expect(planOccurrences({ rrule: 'FREQ=WEEKLY;COUNT=3' }, { ...TERM, endDate: null })).toMatchObject({
      ok: true,
      dates: ['2021-09-28', '2021-10-05', '2021-10-12'],
    });
    expect(planOccurrences({ dueDate: '2022-01-01', rrule: 'FREQ=DAILY;COUNT=2' }, TERM)).toMatchObject({ ok: false });
  });

  it('is overdue from the start of the next day in the memorandum’s time zone (not at 23:30 on the day)', () => {
    // Asia/Almaty was UTC+6 in 2022.
    expect(overdueInstant('2022-09-28', 'Asia/Almaty').toISOString()).toBe('2022-09-28T18:00:00.000Z');
    expect(new Date('2022-09-28T23:30:00+06:00').getTime()).toBeLessThan(
      overdueInstant('2022-09-28', 'Asia/Almaty').getTime(),
    );
    expect(overdueInstant('2025-03-01', 'Asia/Almaty').toISOString()).toBe('2025-03-01T19:00:00.000Z');
  });
});
