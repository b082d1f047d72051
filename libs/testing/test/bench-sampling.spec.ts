import { afterEach, describe, expect, it } from '@jest/globals';
import { benchNiceSetting, randomSampleByGroup } from '@remedy/testing';

describe('randomSampleByGroup', () => {
  it("takes the asked share of each group's members, at least one of a group and never more than it has", () => {
    const sample = randomSampleByGroup(
      1_000,
      (index) => index % 2,
      (size) => size / 10,
    );
    const byGroup = [0, 1].map((group) => [...sample].filter((index) => index % 2 === group).length);
    expect(byGroup).toEqual([50, 50]);
    expect([...sample].every((index) => index >= 0 && index < 1_000)).toBe(true);

    expect(randomSampleByGroup(3, () => 0, () => 0.01).size).toBe(1);
    expect(randomSampleByGroup(3, () => 0, () => 10).size).toBe(3);
  });

  it('gives every member the same chance, whatever its place in the order', () => {
    // 200 members in two groups, 10 of each group drawn 2,000 times: each member is expected 200 times. A sample
    // that favoured the head of the order (as joining first would in a fan-out) would put the first members far
    // above the last; the counts of the first and the last quarter agree within 10 %.
    const counts = new Array<number>(200).fill(0);
    for (let draw = 0; draw < 2_000; draw += 1)
      for (const index of randomSampleByGroup(200, (member) => member % 2, () => 10)) counts[index]! += 1;
    const quarter = (from: number): number => counts.slice(from, from + 50).reduce((sum, count) => sum + count, 0);
    expect(quarter(0)).toBeGreaterThan(quarter(150) * 0.9);
    expect(quarter(0)).toBeLessThan(quarter(150) * 1.1);
    expect(Math.min(...counts)).toBeGreaterThan(120);
  });
});

describe('benchNiceSetting', () => {
  const name = 'REMEDY_TEST_BENCH_NICE';
  afterEach(() => {
    delete process.env[name];
  });

  it('reads 0 to 19 and falls back when unset', () => {
    expect(benchNiceSetting(name, 19)).toBe(19);
    process.env[name] = '0';
    expect(benchNiceSetting(name, 19)).toBe(0);
    process.env[name] = '7';
    expect(benchNiceSetting(name, 19)).toBe(7);
  });

  it('refuses what is not a nice value, naming the variable', () => {
    for (const raw of ['20', '-1', '2.5', 'low']) {
      process.env[name] = raw;
      expect(() => benchNiceSetting(name, 19)).toThrow(name);
    }
  });
});
