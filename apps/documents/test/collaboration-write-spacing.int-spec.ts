import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QUEUE_REDIS } from '@remedy/pooling';
import { total, useTestContext, waitUntil } from '@remedy/testing';
import type { Redis } from 'ioredis';
import type * as Y from 'yjs';
import { storedText } from '../bench/support/stored-text.js';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { CollabTestClient } from '../findings/support/collab-test-client.js';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { HeldAppends } from '../findings/support/held-appends.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(documentsHarness);

/** Every kind of write transaction a writer counts (ADR 0097). */
const KINDS = ['window', 'text', 'takeover', 'drain'];

const WINDOW_MS = 400;
/**
 * Two instances: windows of 400 ms; a lease of 900 ms (a tick every 300 ms, so the handover comes soon); the text
 * due a second after an edit (it rides windows while the editing goes on) and not by the debounce, so a copy
 * dropped has a text pending for its drain.
 */
const SETTINGS = {
  COLLAB_APPEND_WINDOW_MS: String(WINDOW_MS),
  COLLAB_WRITER_LEASE_MS: '900',
  COLLAB_TEXT_SAVE_DEBOUNCE_MS: '5000',
  COLLAB_TEXT_SAVE_MAX_WAIT_MS: '1000',
};
/**
 * One instance whose drain waits long enough to be seen: windows of 3 s (a stop's grace allowing for them), and
 * statements that outlast the updates table held by the test.
 */
const PATIENT = {
  ...SETTINGS,
  COLLAB_APPEND_WINDOW_MS: '3000',
  SHUTDOWN_GRACE_MS: '30000',
  DB_STATEMENT_TIMEOUT_MS: '60000',
};

/**
 * At most one write transaction per document per window, by design (ADR 0097): a document edited without pause
 * on two instances, handed from one writer to the other and drained, never has two write transactions within one
 * window, the drains (each copy's last write) included. Judged from the writers' counters (commit to commit,
 * where each transaction commits), cross-checked against the transactions PostgreSQL saw (the distinct xmin of
 * the document's rows). A copy whose drain waits for the spacing is still the document's copy meanwhile.
 */
describe('WebSocket /collab: a document writes at most once per window', () => {
  let first: TestApp;
  let second: TestApp;
  let admin: AuthSessionBody;
  let editor: AuthSessionBody;
  const clients: CollabTestClient[] = [];
  const ws = (app: TestApp) => app.url.replace(/^http/, 'ws');

  async function signedIn(app: TestApp, member: AuthSessionBody): Promise<CollabTestClient> {
    const client = await CollabTestClient.signedIn(ws(app), member.accessToken);
    clients.push(client);
    return client;
  }

  async function scrape(app: TestApp): Promise<string> {
    return (await fetch(`${app.url}/metrics`)).text();
  }

  /** One character per edit, `pauseMs` apart: editing without a pause as long as a window. */
  async function type(text: Y.Text, edits: number, pauseMs = 20): Promise<void> {
    for (let edit = 0; edit < edits; edit += 1) {
      text.insert(Math.floor(Math.random() * (text.length + 1)), 'x');
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  beforeAll(async () => {
    first = await startTestApp(ctx, SETTINGS);
    second = await startTestApp(ctx, SETTINGS);
    const api = new ApiClient(first.url);
    admin = await api.signup('spacing_admin@example.com');
    editor = await api.addMember(admin.accessToken, 'spacing_editor@example.com', 'editor');
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await first.close();
    await second.close();
  });

  it('edited on two instances, taken over and drained: no two write transactions within one window', async () => {
    const api = new ApiClient(first.url);
    const { id: documentId } = await api.expect<{ id: string }>(
      201,
      'POST',
      '/documents',
      { title: 'spaced writes' },
      admin.accessToken,
    );
    // The change rows before the edits (the document's creation) are not the writers'.
    const { rows: marks } = await ctx.pool.query<{ outboxId: number }>(
      'SELECT coalesce(max(id), 0)::int AS "outboxId" FROM outbox',
    );
    const lease = first.app.get<Redis>(QUEUE_REDIS);
    const leaseKey = `collab-writer:${documentId}`;

    // The first instance loads the document first: it writes it.
    const onFirst = await signedIn(first, admin);
    const firstText = await onFirst.openDocument(documentId);
    await waitUntil(
      'the first instance writing the document',
      async () => (await lease.exists(leaseKey)) === 1,
    );
    const onSecond = await signedIn(second, editor);
    const secondText = await onSecond.openDocument(documentId);
    await Promise.all([type(firstText, 40), type(secondText, 40)]);

    // Its editor leaves while the other instance's editor types on: the first drains its copy and gives the
    // lease up, and the second takes the document over (its copy holds edits the database lacks), then writes.
    let handedOver = false;
    const typing = (async () => {
      let edits = 0;
      while (!handedOver) {
        await type(secondText, 1);
        edits += 1;
      }
      await type(secondText, 40);
      return edits + 40;
    })();
    await onFirst.close();
    await waitUntil(
      'the second instance took the document over',
      async () =>
        total(
          await scrape(second),
          'documents_collab_write_transactions_total',
          (l) => l['kind'] === 'takeover',
        ) >= 1,
    );
    handedOver = true;
    const secondEdits = 40 + (await typing);
    await onSecond.until(
      'every edit of the second editor saved',
      () => onSecond.ofType('saved').length === secondEdits,
    );
    const finalText = onSecond.text(documentId);

    // Its editor leaves too: the second drains its copy (the text due with it) and gives the lease up.
    await onSecond.close();
    await waitUntil('the second instance drained its copy', async () =>
      ((await lease.get(leaseKey)) ?? '').startsWith('released:'),
    );

    const expositions = [await scrape(first), await scrape(second)];
    const sum = (name: string, where: (labels: Record<string, string>) => boolean) =>
      expositions.reduce((all, exposition) => all + total(exposition, name, where), 0);
    const transactions = (kind: string) =>
      sum('documents_collab_write_transactions_total', (labels) => labels['kind'] === kind);
    const gapsTimed = sum('documents_collab_write_gap_seconds_count', () => true);
    const gapsWithinAWindow = (kind: string) =>
      sum(
        'documents_collab_write_gap_seconds_bucket',
        (labels) => labels['kind'] === kind && Number(labels['le']) === WINDOW_MS / 1000,
      );
    const counted = KINDS.reduce((all, kind) => all + transactions(kind), 0);
    // What PostgreSQL saw: the transactions that inserted the document's windows and its change (outbox) rows. A
    // takeover that stored nothing has no row, so the counted ones bound them from both sides.
    const { rows } = await ctx.pool.query<{ transactions: number }>(
      `SELECT count(DISTINCT writer)::int AS transactions FROM (
         SELECT xmin::text AS writer FROM document_updates WHERE document_id = $1
         UNION ALL
         SELECT xmin::text FROM outbox WHERE id > $2 AND payload->>'documentId' = $1::text) AS inserted`,
      [documentId, marks[0]!.outboxId],
    );
    const seenByPostgres = rows[0]!.transactions;

    expect({
      takeovers: transactions('takeover'),
      gapsWithinAWindow: Object.fromEntries(KINDS.map((kind) => [kind, gapsWithinAWindow(kind)])),
      stored: (await storedText(ctx.pool, documentId)) === finalText,
    }).toEqual({
      takeovers: 2,
      gapsWithinAWindow: { window: 0, text: 0, takeover: 0, drain: 0 },
      stored: true,
    });
    // Several windows each side of the handover, every one timed from the write before it; the first writer's
    // editor left mid-typing, so its copy's drain had edits to write.
    expect(gapsTimed).toBeGreaterThanOrEqual(4);
    expect(transactions('drain')).toBeGreaterThanOrEqual(1);
    expect(seenByPostgres).toBeLessThanOrEqual(counted);
    expect(seenByPostgres).toBeGreaterThanOrEqual(counted - transactions('takeover'));
  });

  it('keeps a copy whose last editor left the document’s copy while its drain waits: an editor opening it then gets the held edits', async () => {
    const patient = await startTestApp(ctx, PATIENT);
    try {
      const api = new ApiClient(patient.url);
      const { id: documentId } = await api.expect<{ id: string }>(
        201,
        'POST',
        '/documents',
        { title: 'drained later' },
        admin.accessToken,
      );
      const leaving = await signedIn(patient, admin);
      const leavingText = await leaving.openDocument(documentId);
      leavingText.insert(0, 'saved ');
      await leaving.until('saved', () => leaving.ofType('saved').length === 1);

      // The updates table held: the drain, due a window after that commit, waits on the lock once it writes, and
      // the copy must stay this instance's copy of the document until it committed.
      const returning = await signedIn(patient, editor);
      const appends = await HeldAppends.hold(ctx.pool);
      try {
        leavingText.insert(leavingText.length, 'held');
        leaving.send({ type: 'leave', documentId });
        // The edit's window is due a window after the edit, later than the drain: the insert is the drain's.
        await waitUntil('the drain writing', async () => (await appends.waiting()).length > 0);
        await returning.openDocument(documentId);
        expect(returning.text(documentId)).toBe('saved held');
      } finally {
        await appends.release();
      }
      await leaving.until('left once drained', () => leaving.has('left'));
      expect(leaving.ofType('saved')).toHaveLength(2);
      expect(await storedText(ctx.pool, documentId)).toBe('saved held');
      // The copy went on as the document's, written by this instance.
      const returningText = returning.documentOf(documentId).doc.getText('content');
      returningText.insert(returningText.length, '!');
      await returning.until('saved', () => returning.has('saved'));
      expect(await storedText(ctx.pool, documentId)).toBe('saved held!');
    } finally {
      await patient.close();
    }
  });
});
