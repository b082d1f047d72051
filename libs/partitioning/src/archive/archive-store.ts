/**
 * Where retired partitions go: an object store addressed by key. Bodies are streamed both ways so an
 * archive is never held in memory whole.
 */
export interface ArchiveStore {
  /** Stores the body under `key`, replacing any object already there; resolves once it is durable. */
  put(key: string, body: AsyncIterable<Uint8Array>): Promise<void>;
  /** Rejects when no object has this key. */
  get(key: string): Promise<AsyncIterable<Uint8Array>>;
  /** Every key starting with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Succeeds when the key is already absent. */
  delete(key: string): Promise<void>;
}
