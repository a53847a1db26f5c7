/**
 * A counting semaphore with a bounded wait: at most `size` holders; a caller waits its turn in
 * arrival order for up to `waitMs`, then gets null instead of a slot.
 */
export class UploadSlots {
  private active = 0;
  private readonly waiting: Array<(release: () => void) => void> = [];

  constructor(private readonly size: number) {}

  /** Holders now. */
  get inUse(): number {
    return this.active;
  }

  /** A release function once a slot is free, or null after `waitMs` (or at once, with `signal` aborted). */
  acquire(waitMs: number, signal?: AbortSignal): Promise<(() => void) | null> {
    if (this.active < this.size) return Promise.resolve(this.take());
    if (waitMs <= 0 || signal?.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const give = (release: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', giveUp);
        resolve(release);
      };
      const giveUp = () => {
        const i = this.waiting.indexOf(give);
        if (i >= 0) this.waiting.splice(i, 1);
        clearTimeout(timer);
        signal?.removeEventListener('abort', giveUp);
        resolve(null);
      };
      const timer = setTimeout(giveUp, waitMs);
      signal?.addEventListener('abort', giveUp);
      this.waiting.push(give);
    });
  }

  private take(): () => void {
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next in line: no newcomer can overtake it.
      if (next) next(this.handOver());
      else this.active--;
    };
  }

  private handOver(): () => void {
    this.active--;
    return this.take();
  }
}
