import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { CoalescedRuns } from '../src/cache/coalesced-runs.js';

/** A task whose runs are counted and finish only when the test says so. */
function gatedTask(): { task: () => Promise<void>; started: () => number; finish: () => void } {
  let starts = 0;
  const gates: Array<() => void> = [];
  return {
    task: () => {
      starts += 1;
      return new Promise<void>((resolve) => gates.push(resolve));
    },
    started: () => starts,
    finish: () => gates.shift()?.(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescedRuns', () => {
  it('folds 500 concurrent requests for one key into one run', async () => {
    const runs = new CoalescedRuns();
    const gated = gatedTask();
    const all = Promise.all(Array.from({ length: 500 }, () => runs.run('event-1', gated.task)));
    await settle();
    expect(gated.started()).toBe(1);
    gated.finish();
    await all;
    expect(gated.started()).toBe(1);
  });

  it('runs once more, after the running one, for requests made while it runs', async () => {
    const runs = new CoalescedRuns();
    const gated = gatedTask();
    const first = runs.run('event-1', gated.task);
    await settle();
    let laterSettled = false;
    const later = Promise.all([runs.run('event-1', gated.task), runs.run('event-1', gated.task)]).then(() => {
      laterSettled = true;
    });
    await settle();
    expect(gated.started()).toBe(1);
    gated.finish();
    await first;
    await settle();
    expect(gated.started()).toBe(2);
    expect(laterSettled).toBe(false);
    gated.finish();
    await later;
    expect(gated.started()).toBe(2);
  });

  it('keeps keys apart', async () => {
    const runs = new CoalescedRuns();
    const gated = gatedTask();
    const both = Promise.all([runs.run('event-1', gated.task), runs.run('event-2', gated.task)]);
    await settle();
    expect(gated.started()).toBe(2);
    gated.finish();
    gated.finish();
    await both;
  });

  describe('with a minimum interval between runs of a key', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    /* A rush: each registration commits just after the previous one's INCR came back. */
    it('starts the next run no sooner than the interval after the previous one started', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const runs = new CoalescedRuns(10);
      let starts = 0;
      const task = async (): Promise<void> => {
        starts += 1;
      };
      await runs.run('event-1', task);
      let laterSettled = false;
      const later = Promise.all([runs.run('event-1', task), runs.run('event-1', task)]).then(() => {
        laterSettled = true;
      });
      await settle();
      expect(starts).toBe(1);
      expect(laterSettled).toBe(false);
      await jest.advanceTimersByTimeAsync(10);
      await later;
      expect(starts).toBe(2);
    });

    it('starts at once after a quiet interval', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const runs = new CoalescedRuns(10);
      let starts = 0;
      const task = async (): Promise<void> => {
        starts += 1;
      };
      await runs.run('event-1', task);
      await jest.advanceTimersByTimeAsync(10);
      const later = runs.run('event-1', task);
      await settle();
      expect(starts).toBe(2);
      await later;
    });
  });
});
