import { QUEUE_REDIS } from '@remedy/pooling';
import { waitUntil } from '@remedy/testing';
import type { Redis } from 'ioredis';
import type * as Y from 'yjs';
import { ApiClient, type AuthSessionBody } from './api-client.js';
import type { CollabTestClient } from './collab-test-client.js';
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

/**
 * A new document `owner` creates, opened by `client` on `app` before any other instance loads it, once the lease is
 * taken: the first instance to load a document takes its writer lease, so `app` writes it.
 */
export async function documentWrittenBy(
  app: TestApp,
  owner: AuthSessionBody,
  client: CollabTestClient,
  title: string,
): Promise<{ documentId: string; text: Y.Text }> {
  const api = new ApiClient(app.url);
  const { id: documentId } = await api.expect<{ id: string }>(
    201,
    'POST',
    '/documents',
    { title },
    owner.accessToken,
  );
  const text = await client.openDocument(documentId);
  await untilWriterLeaseTaken(app, documentId);
  return { documentId, text };
}
