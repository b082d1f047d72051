import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext, waitUntil } from '@remedy/testing';
import type * as Y from 'yjs';
import { storedText } from '../bench/support/stored-text.js';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { CollabTestClient } from '../findings/support/collab-test-client.js';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { HeldAppends } from '../findings/support/held-appends.js';
import type { RelayedAsSeen as Relayed } from '../findings/support/relayed-as-seen.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { documentWrittenBy } from '../findings/support/writer-lease.js';
import {
  RELAYED_MESSAGE_FILTER,
  type RelayedMessageFilter,
} from '../src/collaboration/relayed-message-filter.js';

const ctx = useTestContext(documentsHarness);

/**
 * Short windows: each edit is stored soon after it arrives. Long statements: a test holds the updates table's
 * lock across lease ticks, and the window waiting on it must not be cancelled on a loaded machine.
 */
const SETTINGS = { COLLAB_APPEND_WINDOW_MS: '50', DB_STATEMENT_TIMEOUT_MS: '60000' };

/**
 * Redis pub/sub is at-most-once (ADR 0086): an edit relayed to the writer can be lost on the channel. The writer
 * acknowledges an origin only up to the first gap in its edit numbers, asks the origin for what it lacks, and
 * stores the answer; only then does the lost edit's editor hear `saved`.
 */
describe('WebSocket /collab: an edit lost on the channel to the writer', () => {
  let writer: TestApp;
  let other: TestApp;
  let admin: AuthSessionBody;
  let editor: AuthSessionBody;
  const clients: CollabTestClient[] = [];
  const ws = (app: TestApp) => app.url.replace(/^http/, 'ws');

  /** At the writer: the next edit relayed on the document's channel is dropped, as a lost message would be. */
  let dropNextEditOf: string | null = null;
  const dropped: Relayed[] = [];
  const reports: Relayed[] = [];
  const atWriter: RelayedMessageFilter = (documentId, payload) => {
    const relayed = JSON.parse(payload) as Relayed;
    if (relayed.kind === 'sent') reports.push(relayed);
    if (documentId !== dropNextEditOf || relayed.kind !== 'frame' || relayed.seq === undefined) return true;
    dropNextEditOf = null;
    dropped.push(relayed);
    return false;
  };
  /** At the other instance: the writer's requests are dropped until the test lets them through. */
  let answering = false;
  const announcements: Relayed[] = [];
  const requests: Relayed[] = [];
  const atOther: RelayedMessageFilter = (_documentId, payload) => {
    const relayed = JSON.parse(payload) as Relayed;
    if (relayed.kind === 'stored') announcements.push(relayed);
    if (relayed.kind !== 'missing') return true;
    requests.push(relayed);
    return answering;
  };

  async function signedIn(app: TestApp, member: AuthSessionBody): Promise<CollabTestClient> {
    const client = await CollabTestClient.signedIn(ws(app), member.accessToken);
    clients.push(client);
    return client;
  }

  /** Every frame the server sent the client before this call has reached it (one socket, in order). */
  async function caughtUp(client: CollabTestClient): Promise<void> {
    const before = client.errorCodes().length;
    client.send({ type: 'leave', documentId: '00000000-0000-4000-8000-000000000000' });
    await client.until('the answer to a round trip', () => client.errorCodes().length > before);
  }

  /** A new document the admin (Alice) has open on the writer instance, which holds its writer lease. */
  async function documentWithWriter(
    title: string,
  ): Promise<{ documentId: string; alice: CollabTestClient; aliceText: Y.Text }> {
    const alice = await signedIn(writer, admin);
    const { documentId, text: aliceText } = await documentWrittenBy(writer, admin, alice, title);
    return { documentId, alice, aliceText };
  }

  beforeAll(async () => {
    writer = await startTestApp(ctx, SETTINGS, {
      plugs: [{ provide: RELAYED_MESSAGE_FILTER, useValue: atWriter }],
    });
    other = await startTestApp(ctx, SETTINGS, {
      plugs: [{ provide: RELAYED_MESSAGE_FILTER, useValue: atOther }],
    });
    const api = new ApiClient(writer.url);
    admin = await api.signup('lost_admin@example.com');
    editor = await api.addMember(admin.accessToken, 'lost_editor@example.com', 'editor');
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await writer.close();
    await other.close();
  });

  it('is not acknowledged while the writer lacks it; the writer asks its origin for it, stores it, then acknowledges it', async () => {
    const { documentId, alice, aliceText } = await documentWithWriter('lost on the channel');
    aliceText.insert(0, 'AB');
    await alice.until('saved', () => alice.has('saved'));
    const bob = await signedIn(other, editor);
    const carol = await signedIn(other, admin);
    const bobText = await bob.openDocument(documentId);
    const carolText = await carol.openDocument(documentId);

    dropNextEditOf = documentId;
    bobText.insert(2, 'x');
    await waitUntil('the edit dropped at the writer', () => dropped.length === 1);
    await carol.until('the edit, relayed on its own instance', () => carol.text(documentId) === 'ABx');
    // A later edit of the same origin, not resting on the lost one (another Yjs client, away from it): stored alone.
    carolText.insert(0, 'y');
    await waitUntil('the later edit stored', async () => (await storedText(ctx.pool, documentId)) === 'yAB');
    // The writer announces what it stored for the other instance's copy (its second edit in a window).
    await waitUntil('the announcement reaching the other instance', () =>
      announcements.some((announced) => Object.keys(announced.stored ?? {}).length === 2),
    );
    await caughtUp(bob);
    await caughtUp(carol);
    // Number 2 is stored but number 1 is not: neither is acknowledged (announcing the highest would ack both).
    expect(bob.ofType('saved')).toHaveLength(0);
    expect(carol.ofType('saved')).toHaveLength(0);
    expect(await storedText(ctx.pool, documentId)).toBe('yAB');
    // The writer asked the other instance for what it lacks (held back at the other instance so far).
    expect(requests.length).toBeGreaterThan(0);

    // The request comes again after the next window; its answer is stored and acknowledged.
    answering = true;
    aliceText.insert(0, 'z');
    await bob.until('the lost edit saved', () => bob.has('saved'));
    await carol.until('the later edit saved', () => carol.has('saved'));
    expect(await storedText(ctx.pool, documentId)).toBe('zyABx');
    await alice.until('the lost edit, from the answer', () => alice.text(documentId) === 'zyABx');
  });

  it('is stored and acknowledged when it was its origin’s last edit: the origin reports it at the lease tick', async () => {
    const { documentId, alice } = await documentWithWriter('last edit lost');
    const bob = await signedIn(other, editor);
    const bobText = await bob.openDocument(documentId);

    dropNextEditOf = documentId;
    bobText.insert(0, 'last');
    await waitUntil('the edit dropped at the writer', () => dropped.length === 2);
    // No later edit reveals the gap: a lease tick later (COLLAB_WRITER_LEASE_MS / 3) the other instance tells
    // the writer how many edits it numbered, and the writer asks for what it lacks.
    await bob.until('the lost edit saved', () => bob.has('saved'));
    expect(await storedText(ctx.pool, documentId)).toBe('last');
    await alice.until('the lost edit, from the answer', () => alice.text(documentId) === 'last');
  });

  it('does not take a copy loaded again for the one before it: its numbers start again, its edit waits for its window', async () => {
    const { documentId, alice } = await documentWithWriter('loaded again');
    const bob = await signedIn(other, editor);
    const bobText = await bob.openDocument(documentId);
    bobText.insert(0, 'a');
    await bob.until('saved', () => bob.has('saved'));
    // Its only member leaves: the other instance drops its copy, and loads a new one when Bob opens it again.
    bob.send({ type: 'leave', documentId });
    await bob.until('left', () => bob.has('left'));
    await bob.syncAgain(documentId);

    // The writer's next window waits on the lock (for less than the statement timeout) while Bob's edit waits.
    const appends = await HeldAppends.hold(ctx.pool);
    try {
      const reportsBefore = reports.length;
      bobText.insert(1, 'b');
      await alice.until('the edit', () => alice.text(documentId) === 'ab');
      // Unacknowledged for a lease tick, it is reported; the writer holds it for a window not written yet, so
      // announces nothing (the first copy's number 1, stored, is not this copy's number 1).
      await waitUntil('the other instance reporting the edit', () => reports.length > reportsBefore);
      // Whatever the writer published on reading the report reaches Bob before Alice's next edit does.
      alice.documentOf(documentId).doc.getText('content').insert(0, 'c');
      await bob.until('the later edit', () => bob.text(documentId) === 'cab');
      expect(bob.ofType('saved')).toHaveLength(1);
    } finally {
      await appends.release();
    }
    await bob.until('the edit saved', () => bob.ofType('saved').length === 2);
    await alice.until('the later edit saved', () => alice.has('saved'));
    expect(await storedText(ctx.pool, documentId)).toBe('cab');
  });
});
