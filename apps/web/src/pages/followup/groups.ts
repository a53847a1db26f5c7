/** The groups of "our commitments" (MyCommitments.tsx). */

const OPEN = ['planned', 'in_progress'];
type Item = { status: string; date: string; overdueAt: string };

/**
 * Overdue (marked so, or open past the moment it becomes overdue — the worker's timer may not have
 * run yet); open and due by the end of this month; open and due later; completed or cancelled.
 */
export function groupByUrgency<T extends Item>(items: T[], today: string, now = Date.now()) {
  const month = today.slice(0, 7);
  const late = (o: T) => o.status === 'overdue' || (OPEN.includes(o.status) && Date.parse(o.overdueAt) <= now);
  const open = items.filter((o) => OPEN.includes(o.status) && !late(o));
  return {
    overdue: items.filter(late),
    thisMonth: open.filter((o) => o.date.slice(0, 7) <= month),
    later: open.filter((o) => o.date.slice(0, 7) > month),
    done: items.filter((o) => !OPEN.includes(o.status) && o.status !== 'overdue'),
  };
}
