/** One origin's edit numbers a copy applied: every number up to `upTo`, and some above it (a gap below them). */
interface OriginNumbers {
  upTo: number;
  ahead: Set<number>;
  /** The highest number the copy knows the origin reached: applied, or announced stored by the writer. */
  reached: number;
}

/**
 * Per origin (one instance's copy of the document), the edit numbers a copy applied (ADR 0086). What counts is
 * the highest number up to which every edit was applied, not the highest applied: an edit lost on the pub/sub
 * channel (at-most-once) leaves a gap, and a later edit of the same origin must not cover it.
 */
export class AppliedEditNumbers {
  private readonly origins = new Map<string, OriginNumbers>();

  /** Edit `seq` of `origin` was applied, in whatever order it arrived. */
  note(origin: string, seq: number): void {
    const numbers = this.numbersOf(origin);
    if (seq <= numbers.upTo) return;
    numbers.ahead.add(seq);
    numbers.reached = Math.max(numbers.reached, seq);
    this.advance(numbers);
  }

  /** Every edit of `origin` up to `seq` was applied at once (its answer to a request for what was missing). */
  cover(origin: string, seq: number): void {
    const numbers = this.numbersOf(origin);
    if (seq <= numbers.upTo) return;
    numbers.upTo = seq;
    numbers.reached = Math.max(numbers.reached, seq);
    for (const ahead of numbers.ahead) if (ahead <= seq) numbers.ahead.delete(ahead);
    this.advance(numbers);
  }

  /**
   * The writer stored `origin`'s edits up to `seq` (its announcement): what this copy lacks of them is a gap too,
   * the origin's last edit included, which no later edit would reveal. Only for an origin the copy applied an
   * edit of: the edits of one it never heard from are in what it loaded (or it joined after they were stored).
   */
  announced(origin: string, seq: number): void {
    const numbers = this.origins.get(origin);
    if (numbers !== undefined) numbers.reached = Math.max(numbers.reached, seq);
  }

  /** The highest number up to which every edit of `origin` was applied. */
  upTo(origin: string): number {
    return this.origins.get(origin)?.upTo ?? 0;
  }

  /** `upTo` of every origin the copy applied an edit of (none: the copy is what it loaded). */
  contiguous(): Map<string, number> {
    return new Map([...this.origins].map(([origin, numbers]) => [origin, numbers.upTo]));
  }

  /** No edit applied since the copy loaded: the copy is what it loaded. */
  isEmpty(): boolean {
    return this.origins.size === 0;
  }

  /** The origins with an edit missing below one applied (or below the writer's announcement of them). */
  gapped(): string[] {
    return [...this.origins]
      .filter(([, numbers]) => numbers.reached > numbers.upTo)
      .map(([origin]) => origin);
  }

  private numbersOf(origin: string): OriginNumbers {
    const known = this.origins.get(origin);
    if (known !== undefined) return known;
    const numbers: OriginNumbers = { upTo: 0, ahead: new Set(), reached: 0 };
    this.origins.set(origin, numbers);
    return numbers;
  }

  private advance(numbers: OriginNumbers): void {
    while (numbers.ahead.delete(numbers.upTo + 1)) numbers.upTo += 1;
  }
}
