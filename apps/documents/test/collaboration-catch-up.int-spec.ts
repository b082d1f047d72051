import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext, waitUntil } from '@remedy/testing';
import { storedText } from '../bench/support/stored-text.js';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { CollabTestClient } from '../findings/support/collab-test-client.js';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { HeldAppends } from '../findings/support/held-appends.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { documentWrittenBy } from '../findings/support/writer-lease.js';
import {
  RELAYED_MESSAGE_FILTER,
  type RelayedMessageFilter,
} from '../src/collaboration/relayed-message-filter.js';

const ctx = useTestContext(documentsHarness);

/**
 * Short windows, and statements that outlast the updates table held by the test: an edit's window waits on the
 * lock, unstored, for as long as the test says. A lease of 900 ms: a tick every 300 ms.
 */
const SETTINGS = {
  COLLAB_APPEND_WINDOW_MS: '50',
  COLLAB_WRITER_LEASE_MS: '900',
  DB_STATEMENT_TIMEOUT_MS: '60000',
};

/**
 * A copy loaded from the database while another copy holds edits not stored yet (a window being gathered or
 * waiting on its write) lacks them: they were relayed before it subscribed. It asks the writer, by its state
 * vector, for what it lacks, and its editors get the edits without anyone typing again (ADR 0086).
 */
describe('WebSocket /collab: a copy loaded while another holds unstored edits', () => {
  let writer: TestApp;
  let loader: TestApp;
  let admin: AuthSessionBody;
  let editor: AuthSessionBody;
  const clients: CollabTestClient[] = [];
  const ws = (app: TestApp) => app.url.replace(/^http/, 'ws');

  /** At the writer: copies' requests for what they lack after loading, dropped while the test says so. */
  let droppingLoadRequests = false;
  const droppedLoadRequests: string[] = [];
  const atWriter: RelayedMessageFilter = (documentId, payload) => {
    const { kind } = JSON.parse(payload) as { kind: string };
    if (!droppingLoadRequests || kind !== 'loaded') return true;
    droppedLoadRequests.push(documentId);
    return false;
  };

  async function signedIn(app: TestApp, member: AuthSessionBody): Promise<CollabTestClient> {
    const client = await CollabTestClient.signedIn(ws(app), member.accessToken);
    clients.push(client);
    return client;
  }

  async function counted(app: TestApp, name: string): Promise<number> {
    const exposition = await (await fetch(`${app.url}/metrics`)).text();
    return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(exposition)?.[1] ?? NaN);
  }
  const catchUpRequests = (app: TestApp) => counted(app, 'documents_collab_catch_up_requests_total');
  const missingRequests = (app: TestApp) => counted(app, 'documents_collab_missing_requests_total');

  /** A new document open on the writer, which holds its lease. */
  async function documentOnWriter(title: string) {
    const alice = await signedIn(writer, admin);
    const { documentId, text: aliceText } = await documentWrittenBy(writer, admin, alice, title);
    return { documentId, alice, aliceText };
  }

  beforeAll(async () => {
    writer = await startTestApp(ctx, SETTINGS, {
      plugs: [{ provide: RELAYED_MESSAGE_FILTER, useValue: atWriter }],
    });
    loader = await startTestApp(ctx, SETTINGS);
    const api = new ApiClient(writer.url);
    admin = await api.signup('catch_up_admin@example.com');
    editor = await api.addMember(admin.accessToken, 'catch_up_editor@example.com', 'editor');
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await writer.close();
    await loader.close();
  });

  it('gets the edits from the writer, while they are still unstored, though nobody types again', async () => {
    const { documentId, alice, aliceText } = await documentOnWriter('held while loaded');
    const requestsBefore = await catchUpRequests(loader);
    const appends = await HeldAppends.hold(ctx.pool);
    let bob: CollabTestClient;
    try {
      aliceText.insert(0, 'held');
      await waitUntil(
        'the window holding the edit waiting on the lock',
        async () => (await appends.waiting()).length > 0,
      );
      // Bob's instance loads the document from the database, which lacks the edit.
      bob = await signedIn(loader, editor);
      await bob.openDocument(documentId);
      // The edit reaches Bob from the writer's copy: the database still lacks it.
      await bob.until('the held edit', () => bob.text(documentId) === 'held');
      expect(await storedText(ctx.pool, documentId)).toBe('');
      expect(alice.ofType('saved')).toHaveLength(0);
    } finally {
      await appends.release();
    }
    await alice.until('saved', () => alice.has('saved'));
    expect(await storedText(ctx.pool, documentId)).toBe('held');
    // At least once: a lease tick (every 300 ms here) that comes before the answer asks again, and on a
    // loaded machine the answer's round trip through Redis can outlast one.
    expect((await catchUpRequests(loader)) - requestsBefore).toBeGreaterThanOrEqual(1);

    // Bob's copy goes on in step with the writer's: his edit rests on the one he caught up with.
    const bobText = bob.documentOf(documentId).doc.getText('content');
    bobText.insert(4, '!');
    await bob.until('saved', () => bob.has('saved'));
    await alice.until("Bob's edit", () => alice.text(documentId) === 'held!');
    expect(await storedText(ctx.pool, documentId)).toBe('held!');
    // The answer numbered Alice's edits for Bob's copy: her next one shows no gap there, nothing is asked.
    const missingBefore = await missingRequests(loader);
    aliceText.insert(0, '>');
    await bob.until("Alice's next edit", () => bob.text(documentId) === '>held!');
    await alice.until('saved twice', () => alice.ofType('saved').length === 2);
    expect((await missingRequests(loader)) - missingBefore).toBe(0);
  });

  it('asks again at the next lease tick when its request was lost', async () => {
    const { documentId, aliceText } = await documentOnWriter('request lost');
    const requestsBefore = await catchUpRequests(loader);
    const appends = await HeldAppends.hold(ctx.pool);
    try {
      aliceText.insert(0, 'held');
      await waitUntil(
        'the window holding the edit waiting on the lock',
        async () => (await appends.waiting()).length > 0,
      );
      droppingLoadRequests = true;
      const bob = await signedIn(loader, editor);
      await bob.openDocument(documentId);
      await waitUntil('the request dropped at the writer', () => droppedLoadRequests.includes(documentId));
      droppingLoadRequests = false;
      // Nobody types and nothing is stored: only the loaded copy's next request brings the edit.
      await bob.until('the held edit', () => bob.text(documentId) === 'held');
      expect(await storedText(ctx.pool, documentId)).toBe('');
      // The request after loading, lost; then one at a tick (two, if a tick came before the test let them through).
      expect((await catchUpRequests(loader)) - requestsBefore).toBeGreaterThanOrEqual(2);
    } finally {
      droppingLoadRequests = false;
      await appends.release();
    }
  });
});
