import { expect, test } from '@jest/globals';
import { retryDelayMs } from '../src/index.js';

test('doubles from the base delay and stops at the ceiling', () => {
  const options = { baseDelayMs: 1_000, maxDelayMs: 60_000 };
  expect([0, 1, 2, 3, 4, 5, 6, 7].map((attempts) => retryDelayMs(attempts, options))).toEqual([
    1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
  ]);
  expect(retryDelayMs(10_000, options)).toBe(60_000);
});
