import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Redis's clock in ms, so that every instance spaces its writes by one clock (ADR 0097). */
const NOW_MS = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Sets the lease when nobody holds it, or when the last holder released it (`released:<notBefore>:<committedAt>`)
 * and its spacing has passed; answers with the ms since the last holder's last commit ('' when unknown).
 */
const ACQUIRE = `${NOW_MS}
local held = redis.call('GET', KEYS[1])
local since = ''
if held then
  local notBefore, committedAt = string.match(held, '^released:(%d+):(%d+)$')
  if not notBefore or now < tonumber(notBefore) then return false end
  since = string.format('%.0f', now - tonumber(committedAt))
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {1, since}`;
/** Extends the lease only while it is still this holder's: a lease that expired and was taken stays taken. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
/**
 * Gives the lease up only when it is still this holder's: deleted when the holder wrote nothing (ARGV[2] < 0),
 * else left as a note of when its last write committed, which nobody takes until a window (ARGV[3]) after it.
 */
const RELEASE = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local since = tonumber(ARGV[2])
if since < 0 then return redis.call('DEL', KEYS[1]) end
${NOW_MS}
local committedAt = now - since
local notBefore = committedAt + tonumber(ARGV[3])
redis.call('SET', KEYS[1], string.format('released:%.0f:%.0f', notBefore, committedAt), 'PX', ARGV[4])
return 1`;

/** The lease taken: its token, and how long ago the previous writer last committed (null: not known). */
export interface TakenLease {
  token: string;
  previousCommitAgoMs: number | null;
}

/**
 * Which instance writes a co-edited document (ADR 0086): a key in the queue Redis (noeviction: an evicted lease
 * would hand the document to a second writer), set NX with a TTL and renewed by compare, so the holder keeps
 * it while it lives and another instance takes it once it dies. The lease decides who tries to write; the
 * epoch checked in the write's SQL (`documents.writer_epoch`) is what stops a writer that lost it. A writer that
 * gives it up leaves the time of its last commit in its place, and the next writer takes it no sooner than a
 * window after that: the document's writes stay a window apart across writers (ADR 0097). A writer that died
 * leaves nothing, and its lease lasts two thirds of its TTL past its last renewal, longer than a window.
 */
export class DocumentWriterLease {
  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
    private readonly windowMs: number,
  ) {}

  /** The lease when this caller got it, else null (another instance holds it, or its release is too recent). */
  async acquire(documentId: string): Promise<TakenLease | null> {
    const token = randomUUID();
    const got = (await this.redis.eval(ACQUIRE, 1, this.key(documentId), token, this.ttlMs)) as
      [number, string] | null;
    if (got === null) return null;
    return { token, previousCommitAgoMs: got[1] === '' ? null : Number(got[1]) };
  }

  /** True while `token` still holds the lease (extended by its TTL); false once it was lost. */
  async renew(documentId: string, token: string): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key(documentId), token, this.ttlMs)) === 1;
  }

  /** Gives the lease up; `sinceLastCommitMs` (null: this holder wrote nothing) spaces the next writer's first write. */
  async release(documentId: string, token: string, sinceLastCommitMs: number | null): Promise<void> {
    await this.redis.eval(
      RELEASE,
      1,
      this.key(documentId),
      token,
      sinceLastCommitMs === null ? -1 : Math.round(sinceLastCommitMs),
      this.windowMs,
      this.ttlMs,
    );
  }

  private key(documentId: string): string {
    return `collab-writer:${documentId}`;
  }
}
