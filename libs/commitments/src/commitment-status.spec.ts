import { allowedCommitmentActions, nextStatus, statusAfterReplan, statusFromOccurrences } from './commitment-status';
import { CommitmentStatus as S } from './vocabulary';

describe('the commitment status machine', () => {
  it('planned → in_progress → completed | cancelled; overdue only by the timer; final states stay final', () => {
    expect(nextStatus(S.Planned, 'start')).toBe(S.InProgress);
    expect(nextStatus(S.InProgress, 'complete')).toBe(S.Completed);
    expect(nextStatus(S.Overdue, 'complete')).toBe(S.Completed);
    expect(nextStatus(S.InProgress, 'overdue')).toBe(S.Overdue);
    expect(nextStatus(S.Cancelled, 'complete')).toBeNull();
    expect(nextStatus(S.Completed, 'cancel')).toBeNull();
    expect(nextStatus(S.Overdue, 'start')).toBeNull();
    expect(allowedCommitmentActions(S.Cancelled)).toEqual([]);
    expect(allowedCommitmentActions(S.Planned)).toEqual(['start', 'complete', 'cancel']);
  });

  it('derives the commitment from its occurrences', () => {
    expect(statusFromOccurrences(S.InProgress, [S.Completed, S.Cancelled])).toBe(S.Completed);
    expect(statusFromOccurrences(S.Planned, [S.Cancelled])).toBe(S.Cancelled);
    expect(statusFromOccurrences(S.InProgress, [S.Completed, S.Overdue])).toBe(S.Overdue);
    expect(statusFromOccurrences(S.Overdue, [S.Completed, S.Planned])).toBe(S.InProgress);
    expect(statusFromOccurrences(S.Planned, [S.Planned])).toBe(S.Planned);
  });

  it('after an amendment re-planned the occurrences: reopens a finished commitment that has open dates again', () => {
    expect(statusAfterReplan(S.Completed, [S.Completed, S.Planned])).toBe(S.InProgress);
    expect(statusAfterReplan(S.Cancelled, [S.Cancelled, S.Planned])).toBe(S.Planned);
    expect(statusAfterReplan(S.Overdue, [S.Cancelled, S.Planned])).toBe(S.Planned);
    expect(statusAfterReplan(S.Overdue, [S.Overdue, S.Planned])).toBe(S.Overdue);
    expect(statusAfterReplan(S.InProgress, [S.Completed, S.Planned])).toBe(S.InProgress);
    expect(statusAfterReplan(S.Planned, [S.Cancelled])).toBe(S.Cancelled);
    expect(statusAfterReplan(S.Completed, [S.Completed])).toBe(S.Completed);
    expect(statusAfterReplan(S.Planned, [])).toBe(S.Planned);
  });
});
