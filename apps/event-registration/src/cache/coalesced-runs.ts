/**
 * Runs a task per key at most once at a time, and folds every request made while one run is pending into
 * the next run: a registration rush of 2,000 callers on one event bumps that event's stats version a few
 * times instead of 2,000 (each bump is a Redis round trip on the request path).
 *
 * Each caller's promise settles after a run that *started* after the call, so a caller that committed a
 * write before asking still sees its own invalidation land after its commit.
 */
export class CoalescedRuns {
  private readonly pending = new Map<string, Promise<void>>();
  private readonly running = new Map<string, Promise<void>>();

  run(key: string, task: () => Promise<void>): Promise<void> {
    const pending = this.pending.get(key);
    if (pending !== undefined) return pending;
    const start = (): Promise<void> => {
      this.pending.delete(key);
      const current = task();
      this.running.set(key, current);
      return current.finally(() => {
        if (this.running.get(key) === current) this.running.delete(key);
      });
    };
    const previous = this.running.get(key) ?? Promise.resolve();
    const next = previous.then(start, start);
    this.pending.set(key, next);
    return next;
  }
}
