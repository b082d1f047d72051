/**
 * Runs a task per key at most once at a time, and folds every request made while one run is pending into
 * the next run: a registration rush of 2,000 callers on one event bumps that event's stats version a few
 * times instead of 2,000 (each bump is a Redis round trip on the request path).
 *
 * Folding alone coalesces only requests that arrive within one run: in a rush, registrations commit one
 * after another on the event's row lock, about as far apart as a Redis round trip, so nearly every one got
 * its own run (≈ 8 % of the API thread's CPU per registration in the profile). `minIntervalMs` also keeps
 * a run from starting sooner than that after the previous run of its key started, so a rush costs at most
 * one run per interval per key, and its callers wait at most that much longer. A request after a quiet
 * interval starts at once.
 *
 * Each caller's promise settles after a run that *started* after the call, so a caller that committed a
 * write before asking still sees its own invalidation land after its commit.
 */
export class CoalescedRuns {
  private readonly pending = new Map<string, Promise<void>>();
  /** Settles when the key may run again: its current run finished and its interval has passed. */
  private readonly busy = new Map<string, Promise<unknown>>();

  constructor(private readonly minIntervalMs = 0) {}

  run(key: string, task: () => Promise<void>): Promise<void> {
    const pending = this.pending.get(key);
    if (pending !== undefined) return pending;
    const start = (): Promise<void> => {
      this.pending.delete(key);
      const current = task();
      const settled = current.catch(() => undefined);
      const busy = this.minIntervalMs > 0 ? Promise.all([settled, interval(this.minIntervalMs)]) : settled;
      this.busy.set(key, busy);
      void busy.then(() => {
        if (this.busy.get(key) === busy) this.busy.delete(key);
      });
      return current;
    };
    const previous = this.busy.get(key) ?? Promise.resolve();
    const next = previous.then(start);
    this.pending.set(key, next);
    return next;
  }
}

/** Unreferenced: a pending interval never keeps a closing process alive. */
function interval(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
