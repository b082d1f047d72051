import { describe, expect, test } from '@jest/globals';
import { DEFAULT_PAGE_SIZE, InvalidPageSizeError, MAX_PAGE_SIZE, resolvePageSize } from '../src/index.js';

describe('resolvePageSize', () => {
  test('defaults to 20 and allows up to 100', () => {
    expect([DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE]).toEqual([20, 100]);
    expect(resolvePageSize(undefined)).toBe(20);
    expect(resolvePageSize(100)).toBe(100);
  });

  test('follows a per-endpoint policy', () => {
    expect(resolvePageSize(undefined, { maxLimit: 10 })).toBe(10);
    expect(resolvePageSize(500, { maxLimit: 500 })).toBe(500);
    expect(resolvePageSize(undefined, { defaultLimit: 50, maxLimit: 200 })).toBe(50);
  });

  test.each([0, -1, 1.5, Number.NaN, 101])('rejects %p as a 400 naming the field', (limit) => {
    expect(() => resolvePageSize(limit)).toThrow(
      new InvalidPageSizeError('must be an integer from 1 to 100'),
    );
    expect(() => resolvePageSize(limit)).toThrow('limit: must be an integer from 1 to 100');
  });

  test('refuses a policy that cannot hold', () => {
    expect(() => resolvePageSize(undefined, { defaultLimit: 50, maxLimit: 10 })).toThrow(TypeError);
    expect(() => resolvePageSize(undefined, { maxLimit: 0 })).toThrow(TypeError);
  });
});
