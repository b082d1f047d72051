import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RunOnceResult } from './processed-message-guard.js';

export interface RedisRunOnceOptions {
  /** How long a processed id is remembered: the dedupe window. Redeliveries later than this run again. */
  ttlMs: number;
  /** How long a claim lasts while the effect runs; a consumer that dies mid-effect frees the id after it. */
  leaseMs: number;
  /** Key namespace, e.g. the app's Redis prefix. */
  keyPrefix?: string;
}

/** Thrown when another delivery of the same message holds the lease: let the queue retry it later. */
export class MessageInProgressError extends Error {
  constructor(readonly key: string) {
    super(`message ${key} is being processed by another delivery`);
    this.name = 'MessageInProgressError';
  }
}

const DONE = 'done';

/* Deletes the lease only if it is still ours, so a slow failing delivery cannot free another's claim. */
const RELEASE_LEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * The Redis counterpart of `runOnce` for effects outside Postgres (an email, a webhook): SET NX takes a
 * lease, success turns it into a `done` marker kept for `ttlMs`, failure frees it for the retry. Weaker
 * than the Postgres guard: the marker and the effect cannot commit together, so a crash between the
 * effect and the marker lets one redelivery repeat the effect.
 */
export async function runOnceWithRedis<T>(
  redis: Redis,
  consumer: string,
  messageId: string,
  effect: () => Promise<T>,
  options: RedisRunOnceOptions,
): Promise<RunOnceResult<T>> {
  const key = `${options.keyPrefix ?? ''}processed:${consumer}:${messageId}`;
  const lease = `lease:${randomUUID()}`;
  if ((await redis.set(key, lease, 'PX', options.leaseMs, 'NX')) === null) {
    if ((await redis.get(key)) === DONE) return { applied: false };
    throw new MessageInProgressError(key);
  }
  let value: T;
  try {
    value = await effect();
  } catch (error) {
    await redis.eval(RELEASE_LEASE_SCRIPT, 1, key, lease);
    throw error;
  }
  await redis.set(key, DONE, 'PX', options.ttlMs);
  return { applied: true, value };
}
