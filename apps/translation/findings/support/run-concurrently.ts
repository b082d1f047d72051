/**
 * Runs `task(0…count-1)` with at most `concurrency` in flight, on `concurrency` lanes that each run one task at a
 * time (the task learns its lane); resolves with the results in index order.
 */
export async function runConcurrently<T>(
  count: number,
  concurrency: number,
  task: (index: number, lane: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const runLane = async (lane: number) => {
    while (next < count) {
      const index = next;
      next += 1;
      results[index] = await task(index, lane);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, (_, lane) => runLane(lane)));
  return results;
}
