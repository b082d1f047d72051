import type { Redis } from 'ioredis';

/**
 * Refuses a queue Redis that may evict keys: an evicted job, lock or dedupe mark is a message silently
 * lost or run twice. Reads INFO (not CONFIG GET, which managed Redis services often disable).
 */
export async function assertQueueRedisDoesNotEvict(redis: Redis, name = 'queue Redis'): Promise<void> {
  const info = await redis.info('memory');
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy === undefined) {
    throw new Error(`${name}: INFO memory does not report maxmemory_policy, cannot verify it is noeviction.`);
  }
  if (policy !== 'noeviction') {
    throw new Error(
      `${name} has maxmemory-policy=${policy}; a queue Redis must not evict keys (jobs would be lost). ` +
        'Set maxmemory-policy noeviction (redis-server --maxmemory-policy noeviction, or CONFIG SET), ' +
        'with appendonly yes so a restart keeps the jobs, or point QUEUE_REDIS_URL at such a Redis.',
    );
  }
}
