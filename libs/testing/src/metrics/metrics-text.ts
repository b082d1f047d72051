/** Reading Prometheus' text exposition as a scraper would: samples by name and labels, and histogram quantiles. */

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Every sample of the series `name` (exactly that name: a histogram's `h_bucket` is asked for by that name). */
export function samples(exposition: string, name: string): Sample[] {
  const found: Sample[] = [];
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]!] = pair[2]!;
    }
    found.push({ labels, value: Number(match[3]) });
  }
  return found;
}

/** The sum of the samples of `name` whose labels match `where` (0 when there are none). */
export function total(
  exposition: string,
  name: string,
  where: (labels: Record<string, string>) => boolean = () => true,
): number {
  return samples(exposition, name)
    .filter((sample) => where(sample.labels))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/**
 * histogram_quantile(q, sum by (le) (h_bucket)) over the whole scrape, the way Prometheus computes it: linear
 * interpolation inside the bucket holding rank q × count; a rank in the +Inf bucket answers the highest finite
 * bound. NaN when the histogram is missing or has no finite bucket.
 */
export function histogramQuantile(exposition: string, histogram: string, q: number): number {
  const byBound = new Map<number, number>();
  for (const { labels, value } of samples(exposition, `${histogram}_bucket`)) {
    const bound = labels['le'] === '+Inf' ? Infinity : Number(labels['le']);
    byBound.set(bound, (byBound.get(bound) ?? 0) + value);
  }
  const buckets = [...byBound].sort(([a], [b]) => a - b);
  const count = buckets.at(-1)?.[1] ?? 0;
  const finite = buckets.filter(([bound]) => Number.isFinite(bound));
  if (count === 0 || finite.length === 0) return NaN;
  const rank = q * count;
  let lower = 0;
  let below = 0;
  for (const [bound, cumulative] of buckets) {
    if (cumulative >= rank) {
      if (!Number.isFinite(bound)) return finite.at(-1)![0];
      return lower + ((bound - lower) * (rank - below)) / (cumulative - below);
    }
    lower = bound;
    below = cumulative;
  }
  return finite.at(-1)![0];
}

/** The finite `le` bounds of a histogram's buckets, ascending (empty when the histogram is missing). */
export function bucketBounds(exposition: string, histogram: string): number[] {
  const bounds = new Set(
    samples(exposition, `${histogram}_bucket`)
      .map((sample) => Number(sample.labels['le']))
      .filter((bound) => Number.isFinite(bound)),
  );
  return [...bounds].sort((a, b) => a - b);
}
