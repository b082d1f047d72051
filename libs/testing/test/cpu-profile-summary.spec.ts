import { describe, expect, test } from '@jest/globals';
import { packageOf, summarizeCpuProfile, type CpuProfile } from '../src/index.js';

describe('packageOf', () => {
  test.each([
    ['file:///repo/node_modules/pg/lib/query.js', 'pg'],
    ['file:///repo/node_modules/@nestjs/core/router/x.js', '@nestjs/core'],
    ['file:///repo/node_modules/a/node_modules/@scope/b/i.js', '@scope/b'],
    ['file:///repo/libs/auth/src/access-token.ts', '@remedy/auth'],
    ['file:///repo/apps/event-registration/src/main.ts', 'app:event-registration'],
    ['node:internal/crypto/webcrypto', 'node:crypto'],
    ['node:net', 'node:net'],
  ])('%s → %s', (url, expected) => {
    expect(packageOf(url, 'f')).toBe(expected);
  });
});

describe('summarizeCpuProfile', () => {
  const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 4, 5] },
      { id: 2, callFrame: frame('submit', 'file:///r/node_modules/pg/lib/query.js'), children: [3] },
      { id: 3, callFrame: frame('writev') },
      { id: 4, callFrame: frame('(garbage collector)') },
      { id: 5, callFrame: frame('(idle)') },
    ],
    startTime: 0,
    endTime: 100,
    // Each sample's time is the delta that follows it.
    samples: [2, 3, 3, 4, 5],
    timeDeltas: [0, 10_000, 20_000, 30_000, 10_000, 30_000],
  };

  test('bills native frames to their caller, leaves idle out of the busy time', () => {
    const summary = summarizeCpuProfile(profile);
    expect(summary.totalMs).toBe(100);
    expect(summary.busyMs).toBe(70);
    expect(summary.byPackage.map(({ name, selfMs }) => [name, selfMs])).toEqual([
      ['pg', 60],
      ['(garbage collector)', 10],
    ]);
    expect(summary.byFunction[0]).toMatchObject({ name: 'writev pg (native)', selfMs: 50 });
  });
});
