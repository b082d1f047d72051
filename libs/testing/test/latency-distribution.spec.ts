import { describe, expect, it } from '@jest/globals';
import { latencySampler } from '@remedy/testing';

describe('latencySampler', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const distribution = { kind: 'log-normal', medianMs: 150, p99Ms: 900 } as const;
    const first = latencySampler(distribution, 7);
    const again = latencySampler(distribution, 7);
    const other = latencySampler(distribution, 8);
    const a = Array.from({ length: 5 }, first);
    expect(Array.from({ length: 5 }, again)).toEqual(a);
    expect(Array.from({ length: 5 }, other)).not.toEqual(a);
  });

  it('draws a log-normal whose median and 99th percentile are the ones asked for (within 10 %)', () => {
    const sample = latencySampler({ kind: 'log-normal', medianMs: 150, p99Ms: 900 }, 1);
    const draws = Array.from({ length: 20_000 }, sample).sort((a, b) => a - b);
    const median = draws[10_000] ?? 0;
    const p99 = draws[19_800] ?? 0;
    expect(median).toBeGreaterThan(135);
    expect(median).toBeLessThan(165);
    expect(p99).toBeGreaterThan(810);
    expect(p99).toBeLessThan(990);
  });

  it('keeps uniform draws inside their bounds and fixed draws fixed', () => {
    const uniform = latencySampler({ kind: 'uniform', minMs: 20, maxMs: 40 }, 3);
    const draws = Array.from({ length: 1_000 }, uniform);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...draws)).toBeLessThan(40);
    expect(latencySampler({ kind: 'fixed', ms: 12 }, 3)()).toBe(12);
  });
});
