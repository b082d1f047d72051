import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext, waitUntil } from '@remedy/testing';
import type { Redis } from 'ioredis';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { CollabTestClient } from '../findings/support/collab-test-client.js';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { QUEUE_REDIS } from '../src/redis/queue-redis.js';
import {
  RELAYED_MESSAGE_FILTER,
  type RelayedMessageFilter,
} from '../src/collaboration/relayed-message-filter.js';

const ctx = useTestContext(documentsHarness);

/** Short windows: each edit is stored, and announced, soon after it arrives. */
const SETTINGS = { COLLAB_APPEND_WINDOW_MS: '50' };

/** What the third instance's channel carried, as its filter saw it. */
interface Relayed {
  kind: 'frame' | 'stored' | 'missing' | 'sent';
  seq?: number;
  covers?: number;
}

/**
 * Redis pub/sub is at-most-once (ADR 0086): an edit relayed between instances can be lost on the way to a copy
 * that is not the document's writer. That copy asks the edit's origin for what it lacks, as the writer does,
 * and the published answer brings the edit to it and to its editors.
 */
describe('WebSocket /collab: an edit lost on the channel to a copy that is not the writer', () => {
  let writer: TestApp;
  let origin: TestApp;
  let third: TestApp;
  let admin: AuthSessionBody;
  let editor: AuthSessionBody;
  const clients: CollabTestClient[] = [];
  const ws = (app: TestApp) => app.url.replace(/^http/, 'ws');

  /** At the third instance only: the next edit relayed on the document's channel is dropped. */
  let dropNextEditOf: string | null = null;
  const dropped: Relayed[] = [];
  const answers: Relayed[] = [];
  const atThird: RelayedMessageFilter = (documentId, payload) => {
    const relayed = JSON.parse(payload) as Relayed;
    if (relayed.kind === 'frame' && relayed.covers !== undefined) answers.push(relayed);
    if (documentId !== dropNextEditOf || relayed.kind !== 'frame' || relayed.seq === undefined) return true;
    dropNextEditOf = null;
    dropped.push(relayed);
    return false;
  };

  async function signedIn(app: TestApp, member: AuthSessionBody): Promise<CollabTestClient> {
    const client = await CollabTestClient.signedIn(ws(app), member.accessToken);
    clients.push(client);
    return client;
  }

  async function requests(app: TestApp): Promise<number> {
    const exposition = await (await fetch(`${app.url}/metrics`)).text();
    return Number(/^documents_collab_missing_requests_total(?:\{[^}]*\})? (\S+)$/m.exec(exposition)?.[1] ?? NaN);
  }

  /**
   * A new document open on all three instances: the admin (Alice) on the writer, which holds its lease; the
   * editor (Bob) on the origin instance; the admin again (Carol) on the third.
   */
  async function documentOnThree(title: string) {
    const api = new ApiClient(writer.url);
    const { id: documentId } = await api.expect<{ id: string }>(
      201,
      'POST',
      '/documents',
      { title },
      admin.accessToken,
    );
    const alice = await signedIn(writer, admin);
    await alice.openDocument(documentId);
    const lease = writer.app.get<Redis>(QUEUE_REDIS);
    await waitUntil(
      'the writer holding the lease',
      async () => (await lease.exists(`collab-writer:${documentId}`)) === 1,
    );
    const bob = await signedIn(origin, editor);
    const bobText = await bob.openDocument(documentId);
    const carol = await signedIn(third, admin);
    await carol.openDocument(documentId);
    return { documentId, alice, bob, bobText, carol };
  }

  beforeAll(async () => {
    writer = await startTestApp(ctx, SETTINGS);
    origin = await startTestApp(ctx, SETTINGS);
    third = await startTestApp(ctx, SETTINGS, {
      plugs: [{ provide: RELAYED_MESSAGE_FILTER, useValue: atThird }],
    });
    const api = new ApiClient(writer.url);
    admin = await api.signup('repair_admin@example.com');
    editor = await api.addMember(admin.accessToken, 'repair_editor@example.com', 'editor');
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await writer.close();
    await origin.close();
    await third.close();
  });

  it('is asked for by that copy when a later edit of its origin reveals the gap, and reaches its editors', async () => {
    const { documentId, alice, bob, bobText, carol } = await documentOnThree('lost at a copy');
    const writerRequestsBefore = await requests(writer);
    const thirdRequestsBefore = await requests(third);
    const answersBefore = answers.length;

    dropNextEditOf = documentId;
    bobText.insert(0, 'x');
    await waitUntil('the edit dropped at the third instance', () => dropped.length === 1);
    // The writer has it and stores it: Bob hears `saved`, and the announcement reached every instance before
    // the next edit is relayed (one channel, in order).
    await bob.until('saved', () => bob.has('saved'));
    await alice.until('the edit', () => alice.text(documentId) === 'x');
    // A later edit of Bob's, resting on the lost one: Yjs holds it pending in the third copy until that arrives.
    bobText.insert(1, 'y');
    await carol.until('both edits, from the answer', () => carol.text(documentId) === 'xy');

    // The third instance asked (a second time only if the writer's window announcing `y` came before the
    // answer: one request per window); the writer, which lacked nothing, did not.
    const asked = (await requests(third)) - thirdRequestsBefore;
    expect(asked).toBeGreaterThanOrEqual(1);
    expect(asked).toBeLessThanOrEqual(2);
    expect((await requests(writer)) - writerRequestsBefore).toBe(0);
    // Each request is answered once by the origin, and the answer goes to every copy.
    await waitUntil('every request answered', () => answers.length - answersBefore === asked);
    await alice.until('the later edit', () => alice.text(documentId) === 'xy');
  });

  it('is asked for at the writer’s announcement when it was its origin’s last edit', async () => {
    const { documentId, bob, bobText, carol } = await documentOnThree('last edit lost at a copy');
    bobText.insert(0, 'a');
    await carol.until('the first edit', () => carol.text(documentId) === 'a');
    const thirdRequestsBefore = await requests(third);

    dropNextEditOf = documentId;
    bobText.insert(1, 'b');
    await waitUntil('the edit dropped at the third instance', () => dropped.length === 2);
    // No later edit reveals the gap: the writer's announcement that it stored Bob's second edit does.
    await bob.until('saved twice', () => bob.ofType('saved').length === 2);
    await carol.until('the last edit, from the answer', () => carol.text(documentId) === 'ab');
    expect((await requests(third)) - thirdRequestsBefore).toBeGreaterThanOrEqual(1);
  });
});
