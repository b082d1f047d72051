/** Latencies past this count in the last bucket: a delivery that slow has failed the goal by far anyway. */
const MAX_MS = 120_000;

/**
 * Delivery latencies in whole milliseconds, counted per millisecond: a million deliveries cost no more memory
 * than ten, and histograms from several processes add up exactly.
 */
export class LatencyHistogram {
  private readonly counts = new Uint32Array(MAX_MS + 1);
  private total = 0;

  record(latencyMs: number): void {
    this.counts[Math.min(MAX_MS, Math.max(0, Math.round(latencyMs)))]! += 1;
    this.total += 1;
  }

  get count(): number {
    return this.total;
  }

  /** The non-empty buckets as [ms, count] pairs: what a child process sends its parent. */
  toPairs(): Array<[number, number]> {
    const pairs: Array<[number, number]> = [];
    this.counts.forEach((count, ms) => {
      if (count > 0) pairs.push([ms, count]);
    });
    return pairs;
  }

  add(pairs: ReadonlyArray<[number, number]>): void {
    for (const [ms, count] of pairs) {
      this.counts[ms]! += count;
      this.total += count;
    }
  }

  /** The mean in ms (of whole milliseconds); NaN when nothing was recorded. */
  mean(): number {
    let sum = 0;
    this.counts.forEach((count, ms) => (sum += count * ms));
    return sum / this.total;
  }

  /** The nearest-rank percentile `p` (0–100) in ms; NaN when nothing was recorded. */
  percentile(p: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let ms = 0; ms <= MAX_MS; ms += 1) {
      seen += this.counts[ms]!;
      if (seen >= rank) return ms;
    }
    return MAX_MS;
  }
}
