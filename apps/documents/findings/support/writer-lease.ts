import { waitUntil } from '@remedy/testing';
import type { Redis } from 'ioredis';
import { QUEUE_REDIS } from '../../src/redis/queue-redis.js';
import type { TestApp } from './start-test-app.js';

/**
 * Resolves once some instance holds the document's writer lease (ADR 0086), asked of `app`'s queue Redis, which
 * every instance shares: right after a copy loads, the lease is still being taken.
 */
export async function untilWriterLeaseTaken(app: TestApp, documentId: string): Promise<void> {
  const lease = app.app.get<Redis>(QUEUE_REDIS);
  await waitUntil(
    'an instance holding the writer lease',
    async () => (await lease.exists(`collab-writer:${documentId}`)) === 1,
  );
}
