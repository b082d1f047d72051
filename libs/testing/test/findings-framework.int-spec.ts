import {
  defineFinding,
  defineFindingSuite,
  improvementRatio,
  runFindings,
  type FindingResult,
} from '@remedy/testing';

const metric = { name: 'rows read', unit: 'rows', better: 'lower' } as const;

describe('findings framework', () => {
  it('rejects findings that cannot be judged', () => {
    expect(() =>
      defineFinding({ id: 'bad id', title: 't', metric, measure: async () => 0, remediated: () => true }),
    ).toThrow(/must look like/);
    expect(() =>
      defineFinding({ id: 'x:A-1', title: 't', metric, measure: async () => 0, remediated: () => true }),
    ).toThrow(/needs a `flawed` predicate/);
    expect(() =>
      defineFinding({
        id: 'x:A-1',
        kind: 'design',
        title: 't',
        metric,
        measure: async () => 0,
        remediated: () => true,
      }),
    ).toThrow(/must say `why`/);
  });

  it('runs both variants on fresh contexts and judges each value against both predicates', async () => {
    const seenDatabases = new Set<string>();
    const proven = defineFinding({
      id: 'harness:proven',
      title: 'a flaw that shows on the kata only',
      metric,
      measure: async (variant, ctx) => {
        seenDatabases.add(ctx.databaseUrl);
        return variant === 'flawed' ? { value: 1000, details: { queries: 1001 } } : 10;
      },
      flawed: (v) => v > 100,
      remediated: (v) => v <= 100,
    });
    const cannotFail = defineFinding({
      id: 'harness:cannot-fail',
      title: 'predicates that both accept the same value',
      metric,
      measure: async () => 5,
      flawed: (v) => v > 0,
      remediated: (v) => v < 10,
    });
    const suite = defineFindingSuite({ name: 'harness-findings', findings: [proven, cannotFail] });
    const results: FindingResult[] = await runFindings([{ packagePath: 'libs/testing', suite }]);

    expect(seenDatabases.size).toBe(2);
    expect(results[0]?.proven).toBe(true);
    expect(improvementRatio(results[0]!)).toBe('100×');
    expect(results[1]?.proven).toBe(false);
    expect(results[1]?.variants.every((variant) => variant.holds && !variant.discriminates)).toBe(true);
  });

  it('refuses a suite that declares one ID twice', () => {
    const finding = defineFinding({
      id: 'x:A-1',
      title: 't',
      metric,
      measure: async () => 0,
      flawed: (v) => v > 0,
      remediated: (v) => v === 0,
    });
    expect(() => defineFindingSuite({ name: 'dup', findings: [finding, finding] })).toThrow(/declared twice/);
  });
});
