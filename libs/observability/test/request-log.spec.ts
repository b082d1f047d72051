import { describe, expect, it } from '@jest/globals';
import {
  currentCorrelation,
  requestLogReason,
  runOnBehalfOf,
  runWithCorrelation,
  type Correlation,
} from '../src/index.js';

const ok = (requestId: string) => ({ requestId, statusCode: 200, durationMs: 5 });

describe('requestLogReason', () => {
  it('keeps every 5xx and every slow request whatever the sample', () => {
    const settings = { sampleRatio: 0, slowMs: 1_000 };
    expect(requestLogReason({ ...ok('a'), statusCode: 503 }, settings)).toBe('error');
    expect(requestLogReason({ ...ok('a'), durationMs: 1_000 }, settings)).toBe('slow');
    expect(requestLogReason({ ...ok('a'), statusCode: 404 }, settings)).toBeUndefined();
    expect(requestLogReason(ok('a'), settings)).toBeUndefined();
  });

  it('samples the rest by request ID: the same ID always decides the same way, about the given share', () => {
    const settings = { sampleRatio: 0.01 };
    const ids = Array.from({ length: 20_000 }, (_, i) => `request-${i}`);
    const kept = ids.filter((id) => requestLogReason(ok(id), settings) === 'sample');
    expect(kept.length).toBeGreaterThan(100);
    expect(kept.length).toBeLessThan(300);
    expect(ids.filter((id) => requestLogReason(ok(id), settings) === 'sample')).toEqual(kept);
  });

  it('keeps every request by default', () => {
    expect(requestLogReason(ok('any'), {})).toBe('sample');
  });
});

describe('runOnBehalfOf', () => {
  const inside = (correlations: readonly (Correlation | undefined)[]) =>
    runOnBehalfOf(correlations, () => currentCorrelation());

  it('is the request itself for one request, whatever context it starts from', () => {
    const one: Correlation = { requestId: 'r1', sessionId: 's1' };
    expect(runWithCorrelation({ requestId: 'other' }, () => inside([one]))).toEqual(one);
  });

  it('lists the IDs several requests differ in, keeps those they share, and gets an ID of its own', () => {
    const ids = inside([
      { requestId: 'r1', sessionId: 's1', organisationId: 'o' },
      { requestId: 'r2', sessionId: 's2', organisationId: 'o' },
      { requestId: 'r3', organisationId: 'o' },
      undefined,
    ]);
    expect(ids).toMatchObject({
      requestIds: ['r1', 'r2', 'r3'],
      sessionIds: ['s1', 's2'],
      organisationId: 'o',
    });
    expect(ids?.requestId).toEqual(expect.any(String));
    expect(['r1', 'r2', 'r3']).not.toContain(ids?.requestId);
  });
});
