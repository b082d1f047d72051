import { describe, expect, it } from '@jest/globals';
import { PerKeyBatches } from '../src/registrations/per-key-batches.js';

/** A batch runner that records each batch and finishes one only when the test says so. */
function gatedRunner(): {
  run: (key: string, items: number[]) => Promise<string[]>;
  batches: Array<{ key: string; items: number[] }>;
  finish: (error?: Error) => void;
} {
  const batches: Array<{ key: string; items: number[] }> = [];
  const gates: Array<(error?: Error) => void> = [];
  return {
    batches,
    run: (key, items) => {
      batches.push({ key, items });
      return new Promise((resolve, reject) =>
        gates.push((error) => (error ? reject(error) : resolve(items.map((item) => `${key}:${item}`)))),
      );
    },
    finish: (error) => gates.shift()?.(error),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PerKeyBatches', () => {
  it('starts a lone item at once, then gathers everything added meanwhile into the next batch', async () => {
    const runner = gatedRunner();
    const batches = new PerKeyBatches(100, runner.run);
    const results = Promise.all([1, 2, 3, 4].map((item) => batches.add('event-1', item)));
    await settle();
    expect(runner.batches).toEqual([{ key: 'event-1', items: [1] }]);
    expect(batches.waiting).toBe(3);
    runner.finish();
    await settle();
    expect(runner.batches[1]).toEqual({ key: 'event-1', items: [2, 3, 4] });
    expect(batches.waiting).toBe(0);
    runner.finish();
    await expect(results).resolves.toEqual(['event-1:1', 'event-1:2', 'event-1:3', 'event-1:4']);
  });

  it('keeps batches at most maxBatch long, in arrival order', async () => {
    const runner = gatedRunner();
    const batches = new PerKeyBatches(2, runner.run);
    const results = Promise.all([1, 2, 3, 4, 5].map((item) => batches.add('event-1', item)));
    for (let batch = 0; batch < 3; batch += 1) {
      await settle();
      runner.finish();
    }
    await results;
    expect(runner.batches.map((batch) => batch.items)).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('runs the batches of different keys side by side', async () => {
    const runner = gatedRunner();
    const batches = new PerKeyBatches(100, runner.run);
    const results = Promise.all([batches.add('event-1', 1), batches.add('event-2', 1)]);
    await settle();
    expect(runner.batches.map((batch) => batch.key)).toEqual(['event-1', 'event-2']);
    runner.finish();
    runner.finish();
    await expect(results).resolves.toEqual(['event-1:1', 'event-2:1']);
  });

  it("rejects the items of a failed batch with its error, and only those; the key's next batch still runs", async () => {
    const runner = gatedRunner();
    const batches = new PerKeyBatches(100, runner.run);
    const first = batches.add('event-1', 1);
    const second = batches.add('event-1', 2);
    await settle();
    runner.finish(new Error('pool exhausted'));
    await expect(first).rejects.toThrow('pool exhausted');
    await settle();
    runner.finish();
    await expect(second).resolves.toBe('event-1:2');
  });
});
