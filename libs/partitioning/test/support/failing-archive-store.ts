import type { ArchiveStore } from '../../src/index.js';

/** Wraps a real store but breaks the first upload midway, as a crash or network loss would. */
export class FailingOnceArchiveStore implements ArchiveStore {
  private failed = false;

  constructor(private readonly inner: ArchiveStore) {}

  async put(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    if (this.failed) return this.inner.put(key, body);
    this.failed = true;
    for await (const chunk of body) if (chunk.byteLength > 0) break;
    throw new Error(`upload of ${key} interrupted`);
  }

  get(key: string): Promise<AsyncIterable<Uint8Array>> {
    return this.inner.get(key);
  }

  list(prefix: string): Promise<string[]> {
    return this.inner.list(prefix);
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
}
