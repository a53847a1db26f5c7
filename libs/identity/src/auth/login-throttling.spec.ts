import { MemoryFailureStore } from './login-throttling';

describe('MemoryFailureStore (no REDIS_URL, or Redis unreachable)', () => {
  let now = 0;
  const store = () => new MemoryFailureStore(() => now);
  const pair = { key: 'pair', limit: 2, windowMs: 1000 };
  const address = { key: 'address', limit: 3, windowMs: 500 };

  beforeEach(() => (now = 0));

  it('reserves an attempt before its outcome, so that parallel guesses stop at the limit', async () => {
    const s = store();
    const waits = await Promise.all([1, 2, 3, 4].map(() => s.admit([], [pair])));
    expect(waits.map((w) => w > 0)).toEqual([false, false, true, true]);
  });

  it('a released attempt counts nowhere; a failure stays counted until its window ends', async () => {
    const s = store();
    expect(await s.admit([], [pair])).toBe(0);
    await s.release([pair.key]);
    expect(await s.admit([], [pair])).toBe(0);
    expect(await s.admit([], [pair])).toBe(0);
    now = 400;
    expect(await s.admit([], [pair])).toBe(600);
    now = 1000;
    expect(await s.admit([], [pair])).toBe(0);
  });

  it('checks a count without reserving on it; add() counts failures there', async () => {
    const s = store();
    await s.add([address, address, address]);
    expect(await s.admit([address], [pair])).toBe(500);
    now = 500;
    expect(await s.admit([address], [pair])).toBe(0);
  });

  it('releasing an expired count does not leave it below zero', async () => {
    const s = store();
    await s.admit([], [pair]);
    now = 2000;
    await s.release([pair.key]);
    await s.admit([], [pair]);
    await s.admit([], [pair]);
    expect(await s.admit([], [pair])).toBe(1000);
  });
});
