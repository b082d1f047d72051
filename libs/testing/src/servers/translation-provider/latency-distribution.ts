/**
 * How long the emulated provider takes to answer. `log-normal` is the shape real API latencies have (a body
 * around the median and a long right tail); it is fixed by the median and the 99th percentile.
 */
export type LatencyDistribution =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'log-normal'; medianMs: number; p99Ms: number };

/** z of the 99th percentile of the standard normal distribution. */
const Z_99 = 2.326_347_874;

/**
 * A sampler of `distribution` driven by a seeded generator, so one seed gives the same sequence of latencies in
 * every run (a proof comparing two variants meets the same delays in both).
 */
export function latencySampler(distribution: LatencyDistribution, seed: number): () => number {
  const random = mulberry32(seed);
  switch (distribution.kind) {
    case 'fixed':
      return () => distribution.ms;
    case 'uniform':
      return () => distribution.minMs + random() * (distribution.maxMs - distribution.minMs);
    case 'log-normal': {
      const sigma = Math.log(distribution.p99Ms / distribution.medianMs) / Z_99;
      return () => distribution.medianMs * Math.exp(sigma * standardNormal(random));
    }
  }
}

function standardNormal(random: () => number): number {
  // Box–Muller; 1 − u keeps the logarithm's argument above zero.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
