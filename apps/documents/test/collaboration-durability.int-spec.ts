import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QUEUE_REDIS } from '@remedy/pooling';
import { useTestContext, waitUntil } from '@remedy/testing';
import type { Redis } from 'ioredis';
import * as Y from 'yjs';
import { startApiInstance } from '../bench/support/api-instance-process.js';
import { storedText } from '../bench/support/stored-text.js';
import { DocumentContent } from '../src/collaboration/document-content.js';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { CollabTestClient } from '../findings/support/collab-test-client.js';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { HeldAppends } from '../findings/support/held-appends.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(documentsHarness);

/** The API processes this file kills: a writer lease short enough that a survivor takes over within a second. */
const KILLED = { COLLAB_APPEND_WINDOW_MS: '20', COLLAB_WRITER_LEASE_MS: '600' };

/**
 * Group commit (ADR 0084): an instance relays an edit at once and acknowledges it (`saved`) only once the write
 * holding it committed. What it acknowledged survives its kill -9; what it had not is still with the editors
 * and comes back through their resync; a failed write drops the copy so that the resync does bring it back.
 * One writer per document (ADR 0086): the writer stores every instance's edits, and when it dies an instance
 * still holding the document takes over and stores what its copy has that the database lacks.
 */
describe('WebSocket /collab: acknowledged edits are stored, unacknowledged ones come back by resync', () => {
  let app: TestApp;
  let admin: AuthSessionBody;
  let editor: AuthSessionBody;
  const clients: CollabTestClient[] = [];
  const ws = (url: string) => url.replace(/^http/, 'ws');

  async function signedIn(url: string, member: AuthSessionBody): Promise<CollabTestClient> {
    const client = await CollabTestClient.signedIn(ws(url), member.accessToken);
    clients.push(client);
    return client;
  }

  async function newDocument(title: string): Promise<string> {
    const api = new ApiClient(app.url);
    return (await api.expect<{ id: string }>(201, 'POST', '/documents', { title }, admin.accessToken)).id;
  }

  /** The backend of an append waiting on the held lock, once there is one. */
  async function appendWaitingOn(appends: HeldAppends): Promise<number> {
    for (;;) {
      const [pid] = await appends.waiting();
      if (pid !== undefined) return pid;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Some instance holds the document's writer lease (a copy that only loaded takes over at its first window). */
  async function writerLeaseTaken(documentId: string): Promise<boolean> {
    return (await app.app.get<Redis>(QUEUE_REDIS).exists(`collab-writer:${documentId}`)) === 1;
  }

  /** How many times the document was taken over by a writer (documents.writer_epoch). */
  async function writerEpoch(documentId: string): Promise<number> {
    const { rows } = await ctx.pool.query<{ epoch: string }>(
      'SELECT writer_epoch AS epoch FROM documents WHERE id = $1',
      [documentId],
    );
    return Number(rows[0]!.epoch);
  }

  beforeAll(async () => {
    // An append fails 3 s into a wait on the lock the test holds (the failure below). Shorter would do for it,
    // but the deadline is every statement's of this instance (loads, takeovers, saves), none of them held.
    app = await startTestApp(ctx, { DB_STATEMENT_TIMEOUT_MS: '3000' });
    const api = new ApiClient(app.url);
    admin = await api.signup('durable_admin@example.com');
    editor = await api.addMember(admin.accessToken, 'durable_editor@example.com', 'editor');
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await app.close();
  });

  it('stores one row for many updates of a window, relays each at once and acknowledges each after the write', async () => {
    const documentId = await newDocument('grouped');
    // A stop drains the window a window after the last commit at most: its grace leaves room for that.
    const windowed = await startTestApp(ctx, {
      COLLAB_APPEND_WINDOW_MS: '10000',
      SHUTDOWN_GRACE_MS: '30000',
    });
    const alice = await signedIn(windowed.url, admin);
    const bob = await signedIn(windowed.url, editor);
    const text = await alice.openDocument(documentId);
    await bob.openDocument(documentId);
    // Held, so no write of the window could commit while the edits are checked, whenever its timer fires.
    const appends = await HeldAppends.hold(ctx.pool);
    try {
      for (const letter of 'abcde') text.insert(text.length, letter);
      await bob.until('five relayed edits', () => bob.text(documentId) === 'abcde');
      expect(alice.ofType('saved')).toHaveLength(0);
    } finally {
      await appends.release();
    }
    // Shutdown stores the window held: one row, then five acknowledgements while the sockets are still open.
    const closing = windowed.close();
    await alice.until('five saved', () => alice.ofType('saved').length === 5);
    await closing;
    const { rows } = await ctx.pool.query<{ rows: number }>(
      'SELECT count(*)::int AS rows FROM document_updates WHERE document_id = $1',
      [documentId],
    );
    expect(rows[0]!.rows).toBe(1);
    expect(await storedText(ctx.pool, documentId)).toBe('abcde');
  });

  it('after a failed write drops the copy, so the editors’ resync stores what was not saved and every copy converges', async () => {
    const documentId = await newDocument('not saved');
    const alice = await signedIn(app.url, admin);
    const bob = await signedIn(app.url, editor);
    const aliceText = await alice.openDocument(documentId);
    await bob.openDocument(documentId);
    aliceText.insert(0, 'stored ');
    await alice.until('saved', () => alice.ofType('saved').length === 1);

    const appends = await HeldAppends.hold(ctx.pool);
    try {
      aliceText.insert(aliceText.length, 'unsaved');
      await bob.until('the relayed edit', () => bob.text(documentId) === 'stored unsaved');
      // The append times out on the lock: both editors are told, and neither edit counts as saved.
      await alice.until('not-saved', () => alice.errorCodes().includes('not-saved'));
      await bob.until('not-saved', () => bob.errorCodes().includes('not-saved'));
    } finally {
      await appends.release();
    }
    expect(alice.ofType('saved')).toHaveLength(1);

    await alice.syncAgain(documentId);
    await bob.syncAgain(documentId);
    await alice.until('the resent edit saved', () => alice.ofType('saved').length === 2);
    expect(await storedText(ctx.pool, documentId)).toBe('stored unsaved');
    expect(alice.text(documentId)).toBe('stored unsaved');
    expect(bob.text(documentId)).toBe('stored unsaved');
  });

  it('keeps every acknowledged edit through a kill -9 mid-window; the editors resync the rest on another instance', async () => {
    const documentId = await newDocument('killed');
    const doomed = await startApiInstance(ctx, KILLED);
    const alice = await signedIn(doomed.url, admin);
    const bob = await signedIn(doomed.url, editor);
    try {
      const aliceText = await alice.openDocument(documentId);
      const bobText = await bob.openDocument(documentId);
      aliceText.insert(0, 'acked ');
      await alice.until('saved', () => alice.ofType('saved').length === 1);
      bobText.insert(bobText.length, 'also ');
      await bob.until('saved', () => bob.ofType('saved').length === 1);

      const appends = await HeldAppends.hold(ctx.pool);
      try {
        aliceText.insert(aliceText.length, 'held');
        await bob.until('the relayed edit', () => bob.text(documentId).endsWith('held'));
        const append = await appendWaitingOn(appends);
        await doomed.kill9();
        // The dead instance's write must not commit once the lock goes: PostgreSQL notices a vanished client
        // only when it answers it, so its backend goes the way the machine would have taken it.
        await ctx.pool.query('SELECT pg_terminate_backend($1)', [append]);
      } finally {
        await appends.release();
      }
    } finally {
      await doomed.kill9();
    }
    expect(await storedText(ctx.pool, documentId)).toBe('acked also ');

    // Both editors reconnect to another instance with the copies they hold.
    const aliceAgain = await signedIn(app.url, admin);
    const bobAgain = await signedIn(app.url, editor);
    await aliceAgain.openDocument(documentId, alice.documentOf(documentId).doc);
    await bobAgain.openDocument(documentId, bob.documentOf(documentId).doc);
    const expected = alice.text(documentId);
    expect(expected).toBe('acked also held');
    // Alice's answer to the new copy's step 1 carried her unacknowledged edit (handled before her own step 1).
    await aliceAgain.until('the resent edit saved', () => aliceAgain.has('saved'));
    expect(await storedText(ctx.pool, documentId)).toBe(expected);
    expect(bob.text(documentId)).toBe(expected);
  });

  it('takes over from a killed writer: the survivor stores the edit of its own editor that the writer held, and acknowledges it', async () => {
    const documentId = await newDocument('writer killed');
    const doomed = await startApiInstance(ctx, KILLED);
    try {
      const alice = await signedIn(doomed.url, admin);
      await alice.openDocument(documentId);
      // The first instance to load the document takes its lease: the doomed one writes it.
      await waitUntil('the doomed instance writing the document', () => writerLeaseTaken(documentId));
      const bob = await signedIn(app.url, editor);
      const bobText = await bob.openDocument(documentId);

      const appends = await HeldAppends.hold(ctx.pool);
      try {
        bobText.insert(0, 'pending');
        // The writer has it (relayed), and its window's insert waits on the lock when the writer dies.
        await alice.until('the relayed edit', () => alice.text(documentId) === 'pending');
        const append = await appendWaitingOn(appends);
        await doomed.kill9();
        await ctx.pool.query('SELECT pg_terminate_backend($1)', [append]);
      } finally {
        await appends.release();
      }
      // The lease expires; the surviving instance takes the document over and stores what its copy has.
      await bob.until('saved by the new writer', () => bob.has('saved'));
    } finally {
      await doomed.kill9();
    }
    expect(await storedText(ctx.pool, documentId)).toBe('pending');
    // One takeover committed, the survivor's: the killed writer's first window, which took over, rolled back.
    expect(await writerEpoch(documentId)).toBe(1);
  });

  it('stores an edit relayed by an instance killed right after: the writer holds every instance’s edits', async () => {
    const documentId = await newDocument('relayer killed');
    const alice = await signedIn(app.url, admin);
    await alice.openDocument(documentId);
    await waitUntil('this instance writing the document', () => writerLeaseTaken(documentId));
    // Its own window is the production one: it writes nothing of its own before it is killed.
    const doomed = await startApiInstance(ctx, { ...KILLED, COLLAB_APPEND_WINDOW_MS: '2000' });
    try {
      const bob = await signedIn(doomed.url, editor);
      const bobText = await bob.openDocument(documentId);
      bobText.insert(0, 'relayed');
      await alice.until('the relayed edit', () => alice.text(documentId) === 'relayed');
      await doomed.kill9();
    } finally {
      await doomed.kill9();
    }
    await waitUntil(
      'the writer storing the relayed edit',
      async () => (await storedText(ctx.pool, documentId)) === 'relayed',
    );
    expect(await writerEpoch(documentId)).toBe(1);
  });

  it('fences a writer that lost the document: its insert under the old epoch stores nothing', async () => {
    const documentId = await newDocument('fenced');
    const content = app.app.get(DocumentContent);
    const nothingToAdd = (): boolean => false;
    const paused = await content.takeOver(documentId, nothingToAdd, () => null);
    const current = await content.takeOver(documentId, nothingToAdd, () => null);
    const doc = new Y.Doc();
    doc.getText('content').insert(0, 'late');
    const update = Y.encodeStateAsUpdate(doc);
    expect(await content.appendAsWriter(documentId, update, paused!)).toBe(false);
    expect(await storedText(ctx.pool, documentId)).toBe('');
    expect(await content.appendAsWriter(documentId, update, current!)).toBe(true);
    expect(await storedText(ctx.pool, documentId)).toBe('late');
  });
});
