import { FifoQueue } from '../src/storage/fifo-queue.js';

test('takes items in the order they were pushed, across compactions', () => {
  const queue = new FifoQueue<number>();
  const taken: number[] = [];
  let next = 0;
  // Interleaved pushes and takes, long enough to pass the compaction threshold several times.
  for (let round = 0; round < 50; round += 1) {
    for (let i = 0; i < 1_000; i += 1) queue.push(next++);
    for (let i = 0; i < 700; i += 1) taken.push(queue.take()!);
  }
  expect(queue.length).toBe(50 * 300);
  expect(queue.peek()).toBe(taken.length);
  while (queue.length > 0) taken.push(queue.take()!);
  expect(taken).toEqual(Array.from({ length: next }, (_, i) => i));
  expect(queue.take()).toBeUndefined();
  expect(queue.peek()).toBeUndefined();
});

test('draining 20,000 entries one at a time stays linear', () => {
  const queue = new FifoQueue<{ seq: number }>();
  for (let i = 0; i < 20_000; i += 1) queue.push({ seq: i });
  let sum = 0;
  for (let item = queue.take(); item !== undefined; item = queue.take()) sum += item.seq;
  expect(sum).toBe((20_000 * 19_999) / 2);
  expect(queue.length).toBe(0);
});
