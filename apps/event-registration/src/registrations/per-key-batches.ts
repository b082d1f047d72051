interface Queued<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Runs at most one batch per key at a time, and gathers every item added while a key's batch runs into its
 * next batch (at most `maxBatch` items each). An item added to an idle key starts a batch of one at once, so
 * a lone call waits for nothing; under a rush the batches grow to whatever arrived during one run. Each
 * item's promise settles with its own entry of the batch's results, or with the batch's error.
 */
export class PerKeyBatches<Item, Result> {
  private readonly queues = new Map<string, Array<Queued<Item, Result>>>();
  private readonly running = new Set<string>();
  private queued = 0;

  constructor(
    private readonly maxBatch: number,
    /** Returns one result per item, in the items' order. */
    private readonly runBatch: (key: string, items: Item[]) => Promise<Result[]>,
  ) {}

  /** Items waiting for their batch to start. */
  get waiting(): number {
    return this.queued;
  }

  add(key: string, item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) queue.push({ item, resolve, reject });
      else this.queues.set(key, [{ item, resolve, reject }]);
      this.queued += 1;
      if (!this.running.has(key)) this.start(key);
    });
  }

  private start(key: string): void {
    const queue = this.queues.get(key);
    if (!queue) return;
    const batch = queue.splice(0, this.maxBatch);
    if (queue.length === 0) this.queues.delete(key);
    this.queued -= batch.length;
    this.running.add(key);
    const settled = this.runBatch(
      key,
      batch.map((queued) => queued.item),
    ).then(
      (results) => batch.forEach((queued, index) => queued.resolve(results[index]!)),
      (error: unknown) => batch.forEach((queued) => queued.reject(error)),
    );
    void settled.finally(() => {
      this.running.delete(key);
      this.start(key);
    });
  }
}
