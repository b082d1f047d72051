import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext, waitUntil } from '@remedy/testing';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { CollabTestClient } from '../findings/support/collab-test-client.js';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { HeldAppends } from '../findings/support/held-appends.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { untilWriterLeaseTaken } from '../findings/support/writer-lease.js';

const ctx = useTestContext(documentsHarness);

/** Two instances on one database and Redis prefix, as behind a load balancer; snapshots every 3 updates. */
const SETTINGS = { COLLAB_SNAPSHOT_EVERY: '3' };

describe('WebSocket /collab: co-editing a document with Yjs', () => {
  let first: TestApp;
  let second: TestApp;
  let admin: AuthSessionBody;
  let editor: AuthSessionBody;
  let viewer: AuthSessionBody;
  let outsider: AuthSessionBody;
  const clients: CollabTestClient[] = [];
  const ws = (app: TestApp) => app.url.replace(/^http/, 'ws');

  async function signedIn(app: TestApp, member: AuthSessionBody): Promise<CollabTestClient> {
    const client = await CollabTestClient.signedIn(ws(app), member.accessToken);
    clients.push(client);
    return client;
  }

  async function newDocument(title: string): Promise<string> {
    const api = new ApiClient(first.url);
    const created = await api.expect<{ id: string }>(201, 'POST', '/documents', { title }, admin.accessToken);
    return created.id;
  }

  beforeAll(async () => {
    first = await startTestApp(ctx, SETTINGS);
    second = await startTestApp(ctx, SETTINGS);
    const api = new ApiClient(first.url);
    admin = await api.signup('collab_admin@example.com');
    editor = await api.addMember(admin.accessToken, 'collab_editor@example.com', 'editor');
    viewer = await api.addMember(admin.accessToken, 'collab_viewer@example.com', 'viewer');
    outsider = await api.signup('collab_outsider@example.com');
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await first.close();
    await second.close();
  });

  it('signs in with the first message only: a bad token or any query string is refused with 1008', async () => {
    const withQuery = await CollabTestClient.open(ws(first), `?token=${admin.accessToken}`);
    expect(await withQuery.closed()).toBe(1008);
    expect(withQuery.errorCodes()).toContain('token-in-url');
    const otherQuery = await CollabTestClient.open(ws(first), '?documentId=anything');
    expect(await otherQuery.closed()).toBe(1008);
    expect(otherQuery.errorCodes()).toContain('query-string');

    const badToken = await CollabTestClient.open(ws(first));
    badToken.send({ type: 'auth', token: 'not-a-token' });
    expect(await badToken.closed()).toBe(1008);
    expect(badToken.errorCodes()).toContain('auth-failed');
  });

  it('closes a socket that sends nothing once COLLAB_AUTH_TIMEOUT_MS has passed', async () => {
    // An instance of its own with a short deadline, and this socket its only one: a deadline shared with the
    // suite's sockets would race each one's sign-in on a loaded machine.
    const quick = await startTestApp(ctx, { ...SETTINGS, COLLAB_AUTH_TIMEOUT_MS: '300' });
    try {
      const silent = await CollabTestClient.open(ws(quick));
      expect(await silent.closed()).toBe(1008);
      expect(silent.errorCodes()).toContain('auth-timeout');
    } finally {
      await quick.close();
    }
  });

  it('opens only documents of the caller’s organisation, with one answer for missing and foreign ones', async () => {
    const documentId = await newDocument('private');
    const stranger = await signedIn(first, outsider);
    stranger.send({ type: 'open', documentId });
    stranger.send({ type: 'open', documentId: '00000000-0000-4000-8000-000000000000' });
    await stranger.until('two refusals', () => stranger.errorCodes().length === 2);
    expect(stranger.errorCodes()).toEqual(['not-found', 'not-found']);
    expect(stranger.has('opened')).toBe(false);
  });

  it('lets a viewer read and follow edits, and refuses its updates without touching the document', async () => {
    const documentId = await newDocument('read-only');
    const writer = await signedIn(first, editor);
    const reader = await signedIn(second, viewer);
    const written = await writer.openDocument(documentId);
    const read = await reader.openDocument(documentId);
    expect(reader.ofType('opened')[0]).toMatchObject({ canWrite: false });

    written.insert(0, 'by the editor');
    await reader.until('the editor’s edit', () => reader.text(documentId) === 'by the editor');
    read.insert(0, 'by the viewer ');
    await reader.until('a refusal', () => reader.errorCodes().includes('read-only'));

    const late = await signedIn(first, admin);
    await late.openDocument(documentId);
    expect(late.text(documentId)).toBe('by the editor');
    expect(writer.text(documentId)).toBe('by the editor');
    expect(reader.isOpen).toBe(true);
  });

  it('converges when two editors on two instances type at the same place at once', async () => {
    const documentId = await newDocument('together');
    const alice = await signedIn(first, admin);
    const bob = await signedIn(second, editor);
    const aliceText = await alice.openDocument(documentId);
    aliceText.insert(0, 'hello world');
    await alice.until('saved', () => alice.has('saved'));
    const bobText = await bob.openDocument(documentId);
    expect(bob.text(documentId)).toBe('hello world');

    // Both edit before either hears of the other's edit.
    aliceText.insert(5, ' there');
    bobText.insert(5, ',');
    const settled = (client: CollabTestClient) => () =>
      client.text(documentId).includes(' there') && client.text(documentId).includes(',');
    await alice.until('both edits', settled(alice));
    await bob.until('both edits', settled(bob));
    expect(alice.text(documentId)).toBe(bob.text(documentId));
    expect(alice.text(documentId).length).toBe('hello world'.length + ' there'.length + 1);
    // Both stored before the next test reads the instance's counters: they are acknowledged per window.
    await alice.until('both saved', () => alice.ofType('saved').length === 2);
    await bob.until('saved', () => bob.has('saved'));
  });

  it('stores the edits of editors on both instances through one writer: one row per window for the document', async () => {
    const documentId = await newDocument('one writer');
    const alice = await signedIn(first, admin);
    const bob = await signedIn(second, editor);
    const aliceText = await alice.openDocument(documentId);
    // The first instance to load the document takes its writer lease.
    await untilWriterLeaseTaken(first, documentId);
    const bobText = await bob.openDocument(documentId);
    // Held: the first window's insert waits on the lock while both editors' next edits gather in the second.
    const appends = await HeldAppends.hold(ctx.pool);
    try {
      aliceText.insert(0, 'a');
      await waitUntil(
        'the first window waiting on the lock',
        async () => (await appends.waiting()).length === 1,
      );
      bobText.insert(1, 'b');
      aliceText.insert(0, 'c');
      for (const client of [alice, bob])
        await client.until('all three edits', () => client.text(documentId) === 'cab');
    } finally {
      await appends.release();
    }
    await alice.until('both saved', () => alice.ofType('saved').length === 2);
    await bob.until('saved', () => bob.has('saved'));
    // Two windows, two rows: each instance storing its own editors' edits would have written three.
    const { rows } = await ctx.pool.query<{ rows: number }>(
      'SELECT count(*)::int AS rows FROM document_updates WHERE document_id = $1',
      [documentId],
    );
    expect(rows[0]!.rows).toBe(2);
  });

  it("counts its stored updates, their bytes, its editors' sockets and the snapshot lag on /metrics", async () => {
    const metric = async (name: string): Promise<number> => {
      const exposition = await (await fetch(`${first.url}/metrics`)).text();
      return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(exposition)?.[1] ?? NaN);
    };
    const storedBefore = await metric('documents_collab_updates_stored_total');
    const bytesBefore = await metric('documents_collab_update_bytes_total');
    const documentId = await newDocument('counted');
    const typist = await signedIn(first, editor);
    const text = await typist.openDocument(documentId);
    // Counted are the updates the writer stores in windows: an edit made before its term began (the lease is
    // taken just after the copy loads) is stored by the takeover instead.
    await untilWriterLeaseTaken(first, documentId);
    text.insert(0, 'a');
    await typist.until('saved', () => typist.ofType('saved').length === 1);
    text.insert(1, 'b');
    await typist.until('saved twice', () => typist.ofType('saved').length === 2);

    expect((await metric('documents_collab_updates_stored_total')) - storedBefore).toBe(2);
    // A keystroke's delta: a few dozen bytes each, never the document.
    const bytes = (await metric('documents_collab_update_bytes_total')) - bytesBefore;
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(2 * 100);
    expect(await metric('documents_collab_sockets_authenticated')).toBeGreaterThanOrEqual(1);
    expect(await metric('documents_collab_open_documents')).toBeGreaterThanOrEqual(1);
    // Two updates stored, none folded yet (every 3): this copy's snapshot lag is 2.
    expect(await metric('documents_collab_unfolded_updates_max')).toBeGreaterThanOrEqual(2);
  });

  it('relays presence (awareness) to the other editors on every instance, viewers included', async () => {
    const documentId = await newDocument('presence');
    const writer = await signedIn(first, editor);
    const reader = await signedIn(second, viewer);
    await writer.openDocument(documentId);
    await reader.openDocument(documentId);
    const presence = Buffer.from([1, 2, 3, 4]).toString('base64');
    reader.send({ type: 'awareness', documentId, data: presence });
    await writer.until('the viewer’s presence', () => writer.has('awareness'));
    expect(writer.ofType('awareness')[0]).toEqual({ type: 'awareness', documentId, data: presence });
    expect(reader.has('awareness')).toBe(false);
  });

  it("withdraws a closed socket's presence from the other members on every instance at once", async () => {
    const documentId = await newDocument('presence withdrawn');
    const leaving = await signedIn(first, editor);
    const sameInstance = await signedIn(first, viewer);
    const otherInstance = await signedIn(second, viewer);
    for (const client of [leaving, sameInstance, otherInstance]) await client.openDocument(documentId);
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    try {
      awareness.setLocalState({ user: { name: 'leaving editor' } });
      const announced = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
      leaving.send({ type: 'awareness', documentId, data: Buffer.from(announced).toString('base64') });
    } finally {
      awareness.destroy();
    }
    // What a member's own Yjs awareness holds after applying every awareness frame it heard, in order.
    const present = (member: CollabTestClient): boolean => {
      const seen = new awarenessProtocol.Awareness(new Y.Doc());
      try {
        for (const frame of member.ofType('awareness'))
          awarenessProtocol.applyAwarenessUpdate(
            seen,
            Buffer.from(String(frame['data']), 'base64'),
            'server',
          );
        return seen.getStates().has(doc.clientID);
      } finally {
        seen.destroy();
      }
    };
    for (const member of [sameInstance, otherInstance])
      await member.until('the editor’s presence', () => present(member));

    await leaving.close();
    // Each member hears the removal as the socket closes: well inside the answer timeout, far below the 30 s
    // after which Yjs awareness would drop an unrefreshed state by itself.
    for (const member of [sameInstance, otherInstance])
      await member.until('the editor’s presence withdrawn', () => !present(member));
  });

  it('answers bad frames with error frames and keeps the socket', async () => {
    const documentId = await newDocument('bad frames');
    const client = await signedIn(first, editor);
    await client.openDocument(documentId);
    client.sendRaw(new Uint8Array([0, 1, 2, 3]));
    client.send({ type: 'sync', documentId, data: Buffer.from([2, 5, 255, 255, 255]).toString('base64') });
    client.send({ type: 'sync', documentId, data: 'not base64!' });
    client.send({ type: 'sync', documentId: '00000000-0000-4000-8000-000000000000', data: 'AAAA' });
    client.send({ type: 'open' });
    await client.until('five error frames', () => client.errorCodes().length === 5);
    expect(client.errorCodes()).toEqual([
      'bad-json',
      'refused',
      'invalid-message',
      'not-open',
      'invalid-message',
    ]);
    expect(client.isOpen).toBe(true);
  });

  it('keeps every saved edit across a restart of both instances, from the snapshot and the appended tail', async () => {
    const documentId = await newDocument('durable');
    const client = await signedIn(first, editor);
    const text = await client.openDocument(documentId);
    const words = ['one ', 'two ', 'three ', 'four ', 'five '];
    for (const [index, word] of words.entries()) {
      text.insert(text.length, word);
      await client.until(`saved ${index + 1}`, () => client.ofType('saved').length === index + 1);
    }
    const expected = words.join('');
    await client.close();
    await first.close();
    await second.close();

    const stored = await ctx.pool.query<{ state: Buffer | null; tail: number }>(
      'SELECT state, (SELECT count(*)::int FROM document_updates WHERE document_id = $1) AS tail FROM documents WHERE id = $1',
      [documentId],
    );
    expect(stored.rows[0]!.state).not.toBeNull();
    expect(stored.rows[0]!.tail).toBeLessThan(words.length);

    first = await startTestApp(ctx, SETTINGS);
    second = await startTestApp(ctx, SETTINGS);
    const reader = await signedIn(second, viewer);
    await reader.openDocument(documentId);
    expect(reader.text(documentId)).toBe(expected);
  });
});
