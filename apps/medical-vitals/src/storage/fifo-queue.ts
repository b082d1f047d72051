/**
 * A FIFO over an array with a moving head: taking from the front is O(1) where `Array.prototype.shift`
 * moves every remaining element (the write buffer holds up to WRITE_BUFFER_MAX_ROWS entries). The consumed
 * prefix is dropped once it is at least half the array, so memory stays bounded by twice the live entries
 * and the copy that does it is amortised over the takes that made it necessary.
 */
export class FifoQueue<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The front item, or undefined when empty. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** Removes and returns the front item, or undefined when empty. */
  take(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    // Cleared so that a taken entry (and the readings it holds) can be collected before compaction.
    (this.items as (T | undefined)[])[this.head] = undefined;
    this.head += 1;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
