/// <reference types="jest" />
import { groupByUrgency } from './groups';

const at = (date: string, status: string, overdueAt = `${date}T19:00:00.000Z`) => ({ date, status, overdueAt });

describe('our commitments grouped: overdue, this month, later, done', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  it('puts each date in one group', () => {
    const items = [
      at('2026-11-20', 'overdue'),
      at('2021-09-28', 'planned'), // past its overdue moment, the timer not run yet
      at('2026-12-07', 'planned'), // due today: not overdue until the evening
      at('2026-12-31', 'in_progress'),
      at('2027-01-05', 'planned'),
      at('2028-09-28', 'planned'),
      at('2026-12-01', 'completed'),
      at('2026-12-02', 'cancelled'),
    ];
    const g = groupByUrgency(items, '2026-12-07', now);
    expect(g.overdue.map((o) => o.date)).toEqual(['2026-11-20', '2021-09-28']);
    expect(g.thisMonth.map((o) => o.date)).toEqual(['2026-12-07', '2026-12-31']);
    expect(g.later.map((o) => o.date)).toEqual(['2027-01-05', '2028-09-28']);
    expect(g.done.map((o) => o.status)).toEqual(['completed', 'cancelled']);
    expect(g.overdue.length + g.thisMonth.length + g.later.length + g.done.length).toBe(items.length);
  });
});
