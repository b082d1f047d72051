import { defineFinding, findingsOfPart } from '@remedy/testing';

const findings = ['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6', 'A-7'].map((id) =>
  defineFinding({
    id: `x:${id}`,
    title: id,
    metric: { name: 'rows read', unit: 'rows', better: 'lower' },
    seam: 'the loader',
    flawsPutBack: { 'no limit': 'the loader without its LIMIT' },
    measure: async () => 0,
    flawed: (value) => value > 0,
    remediated: (value) => value === 0,
  }),
);

describe('findings split over spec files', () => {
  it('gives every finding to exactly one part, in the suite order', () => {
    const parts = [1, 2, 3].map((part) => findingsOfPart(findings, { part, of: 3 }).map((f) => f.id));
    expect(parts).toEqual([
      ['x:A-1', 'x:A-4', 'x:A-7'],
      ['x:A-2', 'x:A-5'],
      ['x:A-3', 'x:A-6'],
    ]);
    expect(findingsOfPart(findings, { part: 1, of: 1 })).toEqual(findings);
  });

  it('refuses a part that does not exist', () => {
    expect(() => findingsOfPart(findings, { part: 0, of: 3 })).toThrow(/not a part/);
    expect(() => findingsOfPart(findings, { part: 4, of: 3 })).toThrow(/not a part/);
    expect(() => findingsOfPart(findings, { part: 1, of: 0 })).toThrow(/not a part/);
  });
});
