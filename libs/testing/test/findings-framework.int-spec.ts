import {
  defineFinding,
  defineFindingSuite,
  improvementRatio,
  runFindings,
  type FindingResult,
} from '@remedy/testing';

const metric = { name: 'rows read', unit: 'rows', better: 'lower' } as const;
const seam = 'the loader';
const flawsPutBack = { 'no limit': 'the loader without its LIMIT' };

describe('findings framework', () => {
  it('rejects findings that cannot be judged', () => {
    expect(() =>
      defineFinding({
        id: 'bad id',
        title: 't',
        metric,
        seam,
        flawsPutBack,
        measure: async () => 0,
        remediated: () => true,
      }),
    ).toThrow(/must look like/);
    expect(() =>
      defineFinding({
        id: 'x:A-1',
        title: 't',
        metric,
        seam,
        flawsPutBack,
        measure: async () => 0,
        remediated: () => true,
      }),
    ).toThrow(/needs a `flawed` predicate/);
    expect(() =>
      defineFinding({
        id: 'x:A-1',
        kind: 'design',
        title: 't',
        metric,
        seam,
        flawsPutBack,
        measure: async () => 0,
        remediated: () => true,
      }),
    ).toThrow(/must say `why`/);
    expect(() =>
      defineFinding({
        id: 'x:A-1',
        title: 't',
        metric,
        seam,
        flawsPutBack: {},
        measure: async () => 0,
        flawed: (v) => v > 0,
        remediated: (v) => v === 0,
      }),
    ).toThrow(/at least one entry in `flawsPutBack`/);
    expect(() =>
      defineFinding({
        id: 'x:A-1',
        title: 't',
        metric,
        seam,
        flawsPutBack: { flawed: 'the kata again' },
        measure: async () => 0,
        flawed: (v) => v > 0,
        remediated: (v) => v === 0,
      }),
    ).toThrow(/may not be named flawed/);
  });

  it('runs both variants and every flaw put back on fresh contexts, and judges each value', async () => {
    const seenDatabases = new Set<string>();
    const runs: string[] = [];
    const proven = defineFinding({
      id: 'harness:proven',
      title: 'a flaw that shows on the kata only',
      metric,
      seam,
      flawsPutBack,
      measure: async (run, ctx) => {
        seenDatabases.add(ctx.databaseUrl);
        runs.push(run);
        if (run === 'flawed') return { value: 1000, details: { queries: 1001 } };
        return run === 'no limit' ? 500 : 10;
      },
      flawed: (v) => v > 100,
      remediated: (v) => v <= 100,
    });
    const cannotFail = defineFinding({
      id: 'harness:cannot-fail',
      title: 'predicates that both accept the same value',
      metric,
      seam,
      flawsPutBack,
      measure: async (run) => (run === 'no limit' ? 500 : 5),
      flawed: (v) => v > 0,
      remediated: (v) => v < 10,
    });
    const greenWithoutFix = defineFinding({
      id: 'harness:green-without-fix',
      title: 'a proof whose measurement does not depend on the fix',
      metric,
      seam,
      flawsPutBack,
      measure: async (run) => (run === 'flawed' ? 1000 : 10),
      flawed: (v) => v > 100,
      remediated: (v) => v <= 100,
    });
    const suite = defineFindingSuite({
      name: 'harness-findings',
      findings: [proven, cannotFail, greenWithoutFix],
    });
    const results: FindingResult[] = await runFindings([{ packagePath: 'libs/testing', suite }]);

    expect(runs).toEqual(['flawed', 'remediated', 'no limit']);
    expect(seenDatabases.size).toBe(3);
    expect(results[0]?.proven).toBe(true);
    expect(results[0]?.flawsPutBack).toEqual([
      expect.objectContaining({ flaw: 'no limit', value: 500, caught: true }),
    ]);
    expect(improvementRatio(results[0]!)).toBe('100×');
    expect(results[1]?.proven).toBe(false);
    expect(results[1]?.variants.every((variant) => variant.holds && !variant.discriminates)).toBe(true);
    // Both variants look right, but with the flaw put back the remediated predicate still accepts the value.
    expect(results[2]?.variants.every((variant) => variant.holds && variant.discriminates)).toBe(true);
    expect(results[2]?.flawsPutBack[0]?.caught).toBe(false);
    expect(results[2]?.proven).toBe(false);
  });

  it('refuses a suite that declares one ID twice', () => {
    const finding = defineFinding({
      id: 'x:A-1',
      title: 't',
      metric,
      seam,
      flawsPutBack,
      measure: async () => 0,
      flawed: (v) => v > 0,
      remediated: (v) => v === 0,
    });
    expect(() => defineFindingSuite({ name: 'dup', findings: [finding, finding] })).toThrow(/declared twice/);
  });
});
