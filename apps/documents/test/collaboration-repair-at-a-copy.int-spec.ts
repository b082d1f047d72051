import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext, waitUntil } from '@remedy/testing';
import { storedText } from '../bench/support/stored-text.js';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { CollabTestClient } from '../findings/support/collab-test-client.js';
import { documentsHarness } from '../findings/support/documents-harness.js';
import type { RelayedAsSeen as Relayed } from '../findings/support/relayed-as-seen.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { documentWrittenBy } from '../findings/support/writer-lease.js';
import {
  RELAYED_MESSAGE_FILTER,
  type RelayedMessageFilter,
} from '../src/collaboration/relayed-message-filter.js';

const ctx = useTestContext(documentsHarness);

/** Short windows: each edit is stored, and announced, soon after it arrives. */
const SETTINGS = { COLLAB_APPEND_WINDOW_MS: '50' };

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

  /** At the writer or the third instance: the next edit relayed on the document's channel is dropped there. */
  const dropNextEditOf = { writer: null as string | null, third: null as string | null };
  const dropped = { writer: [] as Relayed[], third: [] as Relayed[] };
  /** Answers to requests for missing edits, as each instance read them. */
  const answers = { writer: [] as Relayed[], third: [] as Relayed[] };
  const dropping =
    (at: 'writer' | 'third'): RelayedMessageFilter =>
    (documentId, payload) => {
      const relayed = JSON.parse(payload) as Relayed;
      if (relayed.kind === 'frame' && relayed.covers !== undefined) answers[at].push(relayed);
      if (documentId !== dropNextEditOf[at] || relayed.kind !== 'frame' || relayed.seq === undefined)
        return true;
      dropNextEditOf[at] = null;
      dropped[at].push(relayed);
      return false;
    };
  /**
   * At the origin instance: the writer's requests are dropped while the test says so. Per document, the
   * writer's copy (named by its announcements) and what it announced stored.
   */
  let droppingWritersRequests = false;
  const writersCopy = new Map<string, string>();
  const announcedAtOrigin = new Map<string, Array<Record<string, number>>>();
  const atOrigin: RelayedMessageFilter = (documentId, payload) => {
    const relayed = JSON.parse(payload) as Relayed;
    if (relayed.kind === 'stored') {
      writersCopy.set(documentId, relayed.origin);
      announcedAtOrigin.set(documentId, [...(announcedAtOrigin.get(documentId) ?? []), relayed.stored ?? {}]);
    }
    const fromWriter = relayed.origin === writersCopy.get(documentId);
    return !(droppingWritersRequests && relayed.kind === 'missing' && fromWriter);
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

  async function requests(app: TestApp): Promise<number> {
    const exposition = await (await fetch(`${app.url}/metrics`)).text();
    return Number(
      /^documents_collab_missing_requests_total(?:\{[^}]*\})? (\S+)$/m.exec(exposition)?.[1] ?? NaN,
    );
  }

  /**
   * A new document open on all three instances: the admin (Alice) on the writer, which holds its lease; the
   * editor (Bob) on the origin instance; the admin again (Carol) on the third.
   */
  async function documentOnThree(title: string) {
    const alice = await signedIn(writer, admin);
    const { documentId, text: aliceText } = await documentWrittenBy(writer, admin, alice, title);
    const bob = await signedIn(origin, editor);
    const bobText = await bob.openDocument(documentId);
    const carol = await signedIn(third, admin);
    await carol.openDocument(documentId);
    return { documentId, alice, aliceText, bob, bobText, carol };
  }

  beforeAll(async () => {
    writer = await startTestApp(ctx, SETTINGS, {
      plugs: [{ provide: RELAYED_MESSAGE_FILTER, useValue: dropping('writer') }],
    });
    origin = await startTestApp(ctx, SETTINGS, {
      plugs: [{ provide: RELAYED_MESSAGE_FILTER, useValue: atOrigin }],
    });
    third = await startTestApp(ctx, SETTINGS, {
      plugs: [{ provide: RELAYED_MESSAGE_FILTER, useValue: dropping('third') }],
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
    const answersBefore = answers.third.length;
    const droppedBefore = dropped.third.length;

    dropNextEditOf.third = documentId;
    bobText.insert(0, 'x');
    await waitUntil('the edit dropped at the third instance', () => dropped.third.length > droppedBefore);
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
    await waitUntil('every request answered', () => answers.third.length - answersBefore === asked);
    await alice.until('the later edit', () => alice.text(documentId) === 'xy');
  });

  it('is asked for at the writer’s announcement when it was its origin’s last edit', async () => {
    const { documentId, bob, bobText, carol } = await documentOnThree('last edit lost at a copy');
    bobText.insert(0, 'a');
    await carol.until('the first edit', () => carol.text(documentId) === 'a');
    const thirdRequestsBefore = await requests(third);
    const droppedBefore = dropped.third.length;

    dropNextEditOf.third = documentId;
    bobText.insert(1, 'b');
    await waitUntil('the edit dropped at the third instance', () => dropped.third.length > droppedBefore);
    // No later edit reveals the gap: the writer's announcement that it stored Bob's second edit does.
    await bob.until('saved twice', () => bob.ofType('saved').length === 2);
    await carol.until('the last edit, from the answer', () => carol.text(documentId) === 'ab');
    expect((await requests(third)) - thirdRequestsBefore).toBeGreaterThanOrEqual(1);
  });

  it("closes the writer's gap only with an answer made for a copy holding no more than the writer", async () => {
    const { documentId, alice, aliceText, bob, bobText, carol } = await documentOnThree('two gaps');
    aliceText.insert(0, 'w');
    await alice.until('saved', () => alice.has('saved'));
    // The writer's announcement named its copy at the origin instance: from now its requests are lost there.
    await waitUntil('the writer named', () => writersCopy.has(documentId));
    droppingWritersRequests = true;
    await bob.until("Alice's edit", () => bob.text(documentId) === 'w');

    const droppedBefore = { writer: dropped.writer.length, third: dropped.third.length };
    const writerAnswersBefore = answers.writer.length;

    // Bob's first edit is lost at the writer, his second at the third instance; his third reaches both.
    dropNextEditOf.writer = documentId;
    bobText.insert(1, 'x');
    await waitUntil(
      'the first edit dropped at the writer',
      () => dropped.writer.length > droppedBefore.writer,
    );
    dropNextEditOf.third = documentId;
    bobText.insert(2, 'y');
    await waitUntil(
      'the second edit dropped at the third instance',
      () => dropped.third.length > droppedBefore.third,
    );
    bobText.insert(3, 'z');
    // The third instance asks for what it lacks; the answer, the difference from its copy (which holds the
    // first edit), reaches the writer too, and is no answer to the writer's gap.
    await carol.until('every edit, from the answer', () => carol.text(documentId) === 'wxyz');
    await waitUntil('the answer read by the writer', () => answers.writer.length > writerAnswersBefore);
    aliceText.insert(0, 'v');
    // Announcements are cumulative and in order: the one storing Alice's second edit comes after the answer's.
    await alice.until('the later window announced', () => alice.ofType('saved').length === 2);
    await waitUntil('that announcement read by the origin instance', () =>
      (announcedAtOrigin.get(documentId) ?? []).some(
        (stored) => (stored[writersCopy.get(documentId)!] ?? 0) >= 2,
      ),
    );
    await caughtUp(bob);
    // Taken as covering the writer, the answer would have Bob's first edit announced stored: it is not.
    expect(bob.ofType('saved')).toHaveLength(0);
    expect(await storedText(ctx.pool, documentId)).toBe('vw');

    // The writer's own request, let through after its next window, is answered and stored.
    droppingWritersRequests = false;
    aliceText.insert(0, 'u');
    await bob.until('every edit saved', () => bob.ofType('saved').length === 3);
    expect(await storedText(ctx.pool, documentId)).toBe('uvwxyz');
    await alice.until('every edit, from the answer', () => alice.text(documentId) === 'uvwxyz');
  });
});
