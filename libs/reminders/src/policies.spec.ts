import { afterReminder, DAY_MS, effectivePolicy, firstReminder, validatePolicy } from './policies';

describe('reminder policies', () => {
  const t0 = new Date('2021-09-20T04:00:00Z');

  it('reminds a silent party three times, every three days, then escalates', () => {
    const review = effectivePolicy('review');
    const steps = [];
    let step = firstReminder(review, t0);
    while (step.step !== 'none' && steps.length < 10) {
      steps.push(step);
      step = step.step === 'reminder' ? afterReminder(review, step.sequence, step.dueAt) : { step: 'none' };
    }
    expect(steps.map((s) => [s.step, (s.dueAt.getTime() - t0.getTime()) / DAY_MS])).toEqual([
      ['reminder', 3],
      ['reminder', 6],
      ['reminder', 9],
      ['escalation', 12],
    ]);
  });

  it('uses two days for signing and stored overrides over the defaults', () => {
    expect(firstReminder(effectivePolicy('signing'), t0)).toEqual({
      step: 'reminder',
      sequence: 1,
      dueAt: new Date(t0.getTime() + 2 * DAY_MS),
    });
    const custom = effectivePolicy('review', { intervalDays: 1, maxCount: 1, escalateTo: 'none' });
    expect(afterReminder(custom, 1, t0)).toEqual({ step: 'none' });
    expect(firstReminder(effectivePolicy('review', { enabled: false }), t0)).toEqual({ step: 'none' });
    expect(effectivePolicy('term_end').offsetsDays).toEqual([90, 30]);
  });

  it('refuses nonsense', () => {
    expect(validatePolicy('review', { intervalDays: 0 })).toEqual([
      { field: 'intervalDays', message: expect.any(String) },
    ]);
    expect(validatePolicy('nope', {})).toHaveLength(1);
    expect(validatePolicy('term_end', { offsetsDays: [90, -1] })).toHaveLength(1);
    expect(validatePolicy('signing', { intervalDays: 2, maxCount: 5, escalateTo: 'supervisors' })).toEqual([]);
  });
});
