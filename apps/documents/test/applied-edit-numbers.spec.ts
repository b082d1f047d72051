import { describe, expect, it } from '@jest/globals';
import { AppliedEditNumbers } from '../src/collaboration/applied-edit-numbers.js';

describe('AppliedEditNumbers: per origin, the edits applied up to the first gap (ADR 0086)', () => {
  it('counts an edit only once every earlier one of its origin was applied, in whatever order they came', () => {
    const applied = new AppliedEditNumbers();
    applied.note('a', 1);
    applied.note('a', 3);
    expect(applied.upTo('a')).toBe(1);
    expect(applied.gapped()).toEqual(['a']);
    applied.note('a', 2);
    expect(applied.upTo('a')).toBe(3);
    expect(applied.gapped()).toEqual([]);
    applied.note('a', 2);
    expect(applied.upTo('a')).toBe(3);
  });

  it("closes a gap with an origin's answer covering every edit up to its number, and keeps what lies beyond", () => {
    const applied = new AppliedEditNumbers();
    applied.note('a', 2);
    applied.note('a', 5);
    applied.note('b', 1);
    expect(applied.contiguous()).toEqual(
      new Map([
        ['a', 0],
        ['b', 1],
      ]),
    );
    applied.cover('a', 3);
    expect(applied.upTo('a')).toBe(3);
    expect(applied.gapped()).toEqual(['a']);
    applied.note('a', 4);
    expect(applied.upTo('a')).toBe(5);
    applied.cover('a', 2);
    expect(applied.upTo('a')).toBe(5);
    expect(applied.gapped()).toEqual([]);
  });

  it("takes the writer's announcement of an origin it heard from as a gap up to it, and ignores one it never heard", () => {
    const applied = new AppliedEditNumbers();
    applied.note('a', 1);
    applied.announced('a', 2);
    applied.announced('b', 4);
    expect(applied.gapped()).toEqual(['a']);
    expect(applied.contiguous()).toEqual(new Map([['a', 1]]));
    applied.cover('a', 2);
    expect(applied.gapped()).toEqual([]);
    applied.announced('a', 2);
    expect(applied.gapped()).toEqual([]);
  });
});
