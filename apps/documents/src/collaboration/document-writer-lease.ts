import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Sets the lease only when nobody holds it. */
const ACQUIRE = `return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0`;
/** Extends the lease only while it is still this holder's: a lease that expired and was taken stays taken. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
/** Gives the lease up only when it is still this holder's. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Which instance writes a co-edited document (ADR 0086): a key in the queue Redis (noeviction: an evicted lease
 * would hand the document to a second writer), set NX with a TTL and renewed by compare, so the holder keeps
 * it while it lives and another instance takes it once it dies. The lease decides who tries to write; the
 * epoch checked in the write's SQL (`documents.writer_epoch`) is what stops a writer that lost it.
 */
export class DocumentWriterLease {
  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
  ) {}

  /** A token for the document's lease when this caller got it, else null (another instance holds it). */
  async acquire(documentId: string): Promise<string | null> {
    const token = randomUUID();
    const got = await this.redis.eval(ACQUIRE, 1, this.key(documentId), token, this.ttlMs);
    return got === 1 ? token : null;
  }

  /** True while `token` still holds the lease (extended by its TTL); false once it was lost. */
  async renew(documentId: string, token: string): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key(documentId), token, this.ttlMs)) === 1;
  }

  async release(documentId: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(documentId), token);
  }

  private key(documentId: string): string {
    return `collab-writer:${documentId}`;
  }
}
