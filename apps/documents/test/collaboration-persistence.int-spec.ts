import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitUntil, useTestContext } from '@remedy/testing';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { CollabTestClient } from '../findings/support/collab-test-client.js';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { HeldAppends } from '../findings/support/held-appends.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { untilWriterLeaseTaken } from '../findings/support/writer-lease.js';

const ctx = useTestContext(documentsHarness);

/** Windows of 1 ms: each edit awaited is one row, so a long history is written in seconds. Snapshot defaults. */
const QUICK_WINDOWS = { COLLAB_APPEND_WINDOW_MS: '1' };

/**
 * What co-editing costs the database (ADR 0095): the tail a cold load reads stays bounded however long the
 * history, in rows and in bytes; and the search text saved while editing goes on rides in a window's
 * transaction instead of being a write of its own.
 */
describe('WebSocket /collab: the work a document costs the database', () => {
  let app: TestApp;
  let admin: AuthSessionBody;
  const clients: CollabTestClient[] = [];
  const ws = () => app.url.replace(/^http/, 'ws');

  async function signedIn(): Promise<CollabTestClient> {
    const client = await CollabTestClient.signedIn(ws(), admin.accessToken);
    clients.push(client);
    return client;
  }

  async function newDocument(title: string): Promise<string> {
    const api = new ApiClient(app.url);
    return (await api.expect<{ id: string }>(201, 'POST', '/documents', { title }, admin.accessToken)).id;
  }

  /** Writes `windows` rows of history: each edit is stored (acknowledged) before the next is made. */
  async function writeHistory(documentId: string, windows: number, characters: number): Promise<void> {
    const client = await signedIn();
    const text = await client.openDocument(documentId);
    for (let edit = 1; edit <= windows; edit += 1) {
      text.insert(Math.floor(Math.random() * (text.length + 1)), 'x'.repeat(characters));
      await client.until(`saved ${edit}`, () => client.ofType('saved').length === edit);
    }
    await client.close();
  }

  /** The tail a cold load reads after the snapshot, once the instance shut down (its compactions settled). */
  async function tailAtColdLoad(documentId: string): Promise<{ rows: number; bytes: number }> {
    await app.close();
    app = await startTestApp(ctx, QUICK_WINDOWS);
    const { rows } = await ctx.pool.query<{ rows: number; bytes: number }>(
      `SELECT count(*)::int AS rows, coalesce(sum(octet_length(update)), 0)::int AS bytes
         FROM document_updates WHERE document_id = $1`,
      [documentId],
    );
    return rows[0]!;
  }

  /** A cold load on the restarted instance reads the whole text back. */
  async function coldText(documentId: string): Promise<string> {
    const reader = await signedIn();
    await reader.openDocument(documentId);
    return reader.text(documentId);
  }

  beforeAll(async () => {
    app = await startTestApp(ctx, QUICK_WINDOWS);
    admin = await new ApiClient(app.url).signup('persistence_admin@example.com');
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await app.close();
  });

  it('folds a long history of small windows: the rows a cold load reads stay bounded as the history grows', async () => {
    const documentId = await newDocument('long history');
    await writeHistory(documentId, 150, 20);
    const after150 = await tailAtColdLoad(documentId);
    expect((await coldText(documentId)).length).toBe(150 * 20);
    await writeHistory(documentId, 300, 20);
    const after450 = await tailAtColdLoad(documentId);
    expect((await coldText(documentId)).length).toBe(450 * 20);
    // Three times the history, no longer a tail: folding 500 windows at a time left all 450 rows to replay.
    expect(after450.rows).toBeLessThanOrEqual(after150.rows);
    expect(after450.rows).toBeLessThan(450 / 4);
  });

  it('folds a few large windows too: the bytes a cold load reads stay bounded', async () => {
    const documentId = await newDocument('large pastes');
    // Eight pastes of 60,000 characters, each its own row: few rows, many bytes.
    await writeHistory(documentId, 8, 60_000);
    const tail = await tailAtColdLoad(documentId);
    expect((await coldText(documentId)).length).toBe(8 * 60_000);
    expect(tail.bytes).toBeLessThan((8 * 60_000) / 2);
  });

  it('saves the search text inside a window while editing goes on: no transaction of its own', async () => {
    await app.close();
    app = await startTestApp(ctx, {
      COLLAB_APPEND_WINDOW_MS: '50',
      COLLAB_TEXT_SAVE_DEBOUNCE_MS: '5000',
      COLLAB_TEXT_SAVE_MAX_WAIT_MS: '1000',
    });
    const documentId = await newDocument('text with the window');
    const client = await signedIn();
    const text = await client.openDocument(documentId);
    await untilWriterLeaseTaken(app, documentId);
    // The first window's insert waits on a held lock while the edits go on gathering in the next window for
    // twice the text save's maximum wait: the text comes due while a window holds updates.
    const appends = await HeldAppends.hold(ctx.pool);
    const edits = 80;
    try {
      for (let edit = 0; edit < edits; edit += 1) {
        text.insert(text.length, 'b');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(await appends.waiting()).toHaveLength(1);
    } finally {
      await appends.release();
    }
    await client.until('every edit saved', () => client.ofType('saved').length === edits);
    await waitUntil('the text saved', async () => {
      const { rows } = await ctx.pool.query<{ body: string }>('SELECT body FROM documents WHERE id = $1', [
        documentId,
      ]);
      return rows[0]!.body.length > 0;
    });
    // xmin is the transaction that inserted a row: the text's outbox row came with a window's row.
    const { rows } = await ctx.pool.query<{ windows: number; changes: number; alone: number }>(
      `SELECT (SELECT count(*)::int FROM document_updates WHERE document_id = $1::uuid) AS windows,
              count(*)::int AS changes,
              count(*) FILTER (WHERE o.xmin NOT IN (SELECT u.xmin FROM document_updates u WHERE u.document_id = $1::uuid))::int AS alone
         FROM outbox o WHERE o.payload->>'documentId' = $1::text AND o.payload->>'body' <> ''`,
      [documentId],
    );
    expect(rows[0]!.windows).toBe(2);
    expect(rows[0]!.changes).toBeGreaterThanOrEqual(1);
    expect(rows[0]!.alone).toBe(0);
  });

  it("keeps a document's writes a window apart: the text due after the last window waits for a window of its own", async () => {
    await app.close();
    app = await startTestApp(ctx, {
      COLLAB_APPEND_WINDOW_MS: '400',
      COLLAB_TEXT_SAVE_DEBOUNCE_MS: '450',
      COLLAB_TEXT_SAVE_MAX_WAIT_MS: '10000',
    });
    const documentId = await newDocument('writes a window apart');
    const client = await signedIn();
    const text = await client.openDocument(documentId);
    // One edit: its window is written 400 ms later, and its text comes due 50 ms after that, with no update
    // held. Saved then, it would be a second write 50 ms after the first.
    text.insert(0, 'spaced');
    await client.until('saved', () => client.has('saved'));
    await waitUntil('the text saved', async () => {
      const { rows } = await ctx.pool.query<{ body: string }>('SELECT body FROM documents WHERE id = $1', [
        documentId,
      ]);
      return rows[0]!.body === 'spaced';
    });
    const { rows } = await ctx.pool.query<{ apartMs: number }>(
      `SELECT (extract(epoch FROM (SELECT max(created_at) FROM outbox WHERE payload->>'documentId' = $1::text)
                               - (SELECT max(created_at) FROM document_updates WHERE document_id = $1::uuid)) * 1000)::float8
                AS "apartMs"`,
      [documentId],
    );
    // About 450 ms with the text's own window, 50 ms without: half a window between them is the margin, since
    // the first window's transaction can start late on a loaded machine (the text's window opens when it is due).
    expect(rows[0]!.apartMs).toBeGreaterThanOrEqual(200);
  });

  it('writes nothing when a document is only opened and read: the takeover waits for a first window', async () => {
    const documentId = await newDocument('only read');
    const rowVersion = async () =>
      (
        await ctx.pool.query<{ xmin: string }>('SELECT xmin::text AS xmin FROM documents WHERE id = $1', [
          documentId,
        ])
      ).rows[0]!.xmin;
    const before = await rowVersion();
    const reader = await signedIn();
    await reader.openDocument(documentId);
    await untilWriterLeaseTaken(app, documentId);
    await reader.close();
    // Closing the instance settles what it started for the document (its writes, its text save).
    await app.close();
    app = await startTestApp(ctx, QUICK_WINDOWS);
    expect(await rowVersion()).toBe(before);
  });
});
