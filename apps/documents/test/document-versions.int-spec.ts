import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext, waitUntil } from '@remedy/testing';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { CollabTestClient } from '../findings/support/collab-test-client.js';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(documentsHarness);

interface VersionSummary {
  id: string;
  documentId: string;
  name: string;
  preview: string;
  characters: number;
  createdBy: string | null;
  createdAt: string;
}

interface VersionPage {
  data: VersionSummary[];
  pagination: { nextCursor: string | null; hasMore: boolean };
}

interface Restore {
  documentId: string;
  changed: boolean;
  restored: VersionSummary;
  beforeRestore: VersionSummary | null;
}

interface ErrorBody {
  details: Array<{ field: string; message: string }>;
}

const SOME_ID = '00000000-0000-4000-8000-000000000000';

/**
 * No compaction during these tests (the update log shows each restore as one more row), and no text saved for
 * search on a timer: only when a copy is dropped, by a restore, or at shutdown.
 */
const SETTINGS = {
  COLLAB_SNAPSHOT_EVERY: '1000',
  COLLAB_TEXT_SAVE_DEBOUNCE_MS: '60000',
  COLLAB_TEXT_SAVE_MAX_WAIT_MS: '60000',
};

describe('version history: named snapshots of a document and their restore', () => {
  let first: TestApp;
  let second: TestApp;
  let api: ApiClient;
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
    return (await api.expect<{ id: string }>(201, 'POST', '/documents', { title }, admin.accessToken)).id;
  }

  /** Types `text` in place of the whole content and waits until the server stored it. */
  async function typeOver(client: CollabTestClient, documentId: string, text: string): Promise<void> {
    const content = client.documentOf(documentId).doc.getText('content');
    const saved = client.ofType('saved').length;
    content.doc!.transact(() => {
      content.delete(0, content.length);
      content.insert(0, text);
    });
    await client.until('saved', () => client.ofType('saved').length > saved);
  }

  const saveVersion = (app: TestApp, documentId: string, name: string, member = editor) =>
    new ApiClient(app.url).expect<VersionSummary>(
      201,
      'POST',
      `/documents/${documentId}/versions`,
      { name },
      member.accessToken,
    );

  const searchBody = async (documentId: string): Promise<string> =>
    (await ctx.pool.query<{ body: string }>('SELECT body FROM documents WHERE id = $1', [documentId]))
      .rows[0]!.body;

  /** Polls the stored search body until it is `expected` (a save runs after the request that caused it). */
  async function bodyBecomes(documentId: string, expected: string): Promise<void> {
    await waitUntil(`the search body "${expected}"`, async () => (await searchBody(documentId)) === expected);
    expect(await searchBody(documentId)).toBe(expected);
  }

  const storedUpdates = async (documentId: string): Promise<number> =>
    (
      await ctx.pool.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM document_updates WHERE document_id = $1',
        [documentId],
      )
    ).rows[0]!.count;

  beforeAll(async () => {
    first = await startTestApp(ctx, SETTINGS);
    second = await startTestApp(ctx, SETTINGS);
    api = new ApiClient(first.url);
    admin = await api.signup('versions_admin@example.com');
    editor = await api.addMember(admin.accessToken, 'versions_editor@example.com', 'editor');
    viewer = await api.addMember(admin.accessToken, 'versions_viewer@example.com', 'viewer');
    outsider = await api.signup('versions_outsider@example.com');
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await first.close();
    await second.close();
  });

  it('saves what the editors wrote, and restores it as an update every connected editor receives on both instances', async () => {
    const documentId = await newDocument('restored');
    const writer = await signedIn(first, editor);
    const follower = await signedIn(second, admin);
    await writer.openDocument(documentId);
    await follower.openDocument(documentId);
    await typeOver(writer, documentId, 'first draft');

    // Taken through the instance that does not hold the document: the stored log is the current content.
    const draft = await saveVersion(second, documentId, 'first draft');
    expect(draft).toMatchObject({
      documentId,
      name: 'first draft',
      preview: 'first draft',
      characters: 11,
      createdBy: editor.user.id,
    });

    await typeOver(writer, documentId, 'second draft, rewritten');
    await follower.until('the rewrite', () => follower.text(documentId) === 'second draft, rewritten');
    const updatesBefore = await storedUpdates(documentId);

    const restore = await api.expect<Restore>(
      200,
      'POST',
      `/documents/${documentId}/versions/${draft.id}/restore`,
      undefined,
      editor.accessToken,
    );
    expect(restore).toMatchObject({ documentId, changed: true, restored: draft });
    expect(restore.beforeRestore).toMatchObject({
      preview: 'second draft, rewritten',
      createdBy: editor.user.id,
    });

    // Both editors receive the restore as a sync update and hold the version's text.
    for (const client of [writer, follower])
      await client.until('the restore', () => client.text(documentId) === 'first draft');
    // Appended to the log like an edit: one more row, the snapshot untouched.
    expect(await storedUpdates(documentId)).toBe(updatesBefore + 1);
    const latecomer = await signedIn(second, viewer);
    await latecomer.openDocument(documentId);
    expect(latecomer.text(documentId)).toBe('first draft');
    expect(await searchBody(documentId)).toBe('first draft');

    // The restore is an ordinary edit: editing on top of it converges everywhere.
    const text = writer.documentOf(documentId).doc.getText('content');
    const savedBefore = writer.ofType('saved').length;
    text.insert(text.length, ', again');
    // A restore starts from what is stored: wait for the edit's acknowledgement (its window written), or the undo
    // below would treat ', again' as an edit made meanwhile and keep it, as it keeps any unsaved edit.
    await writer.until('the edit saved', () => writer.ofType('saved').length > savedBefore);
    for (const client of [writer, follower, latecomer])
      await client.until(
        'the edit after the restore',
        () => client.text(documentId) === 'first draft, again',
      );

    // And the text it replaced is a version too: restoring that one undoes the restore.
    await api.expect(
      200,
      'POST',
      `/documents/${documentId}/versions/${restore.beforeRestore!.id}/restore`,
      undefined,
      admin.accessToken,
    );
    await follower.until('the undo', () => follower.text(documentId) === 'second draft, rewritten');
  });

  it('restores a document nobody has open, and a version equal to the text changes nothing', async () => {
    const documentId = await newDocument('closed');
    const writer = await signedIn(first, editor);
    await writer.openDocument(documentId);
    await typeOver(writer, documentId, 'kept');
    const kept = await saveVersion(first, documentId, 'kept');
    await typeOver(writer, documentId, 'replaced');
    await writer.close();
    // The last editor left: its copy's text is saved for search then, not on a timer that would later write
    // that copy's text over the restore below.
    await bodyBecomes(documentId, 'replaced');

    const unchanged = await saveVersion(first, documentId, 'replaced');
    const same = await api.expect<Restore>(
      200,
      'POST',
      `/documents/${documentId}/versions/${unchanged.id}/restore`,
      undefined,
      editor.accessToken,
    );
    expect(same).toMatchObject({ changed: false, beforeRestore: null });

    const updates = await storedUpdates(documentId);
    await api.expect(
      200,
      'POST',
      `/documents/${documentId}/versions/${kept.id}/restore`,
      undefined,
      editor.accessToken,
    );
    expect(await storedUpdates(documentId)).toBe(updates + 1);
    expect(await searchBody(documentId)).toBe('kept');
    const reader = await signedIn(second, viewer);
    await reader.openDocument(documentId);
    expect(reader.text(documentId)).toBe('kept');
  });

  it('keeps a text no database column could hold exactly, and restores it exactly', async () => {
    const documentId = await newDocument('odd characters');
    const writer = await signedIn(first, editor);
    await writer.openDocument(documentId);
    await typeOver(writer, documentId, 'a\u0000b');
    const odd = await saveVersion(first, documentId, 'with a NUL');
    const shown = await api.expect<{ text: string }>(
      200,
      'GET',
      `/documents/${documentId}/versions/${odd.id}`,
      undefined,
      viewer.accessToken,
    );
    expect(shown.text).toBe('a\uFFFDb');
    await typeOver(writer, documentId, 'plain');
    await api.expect(
      200,
      'POST',
      `/documents/${documentId}/versions/${odd.id}/restore`,
      undefined,
      editor.accessToken,
    );
    await writer.until('the exact text', () => writer.text(documentId) === 'a\u0000b');
  });

  it('lets viewers read versions but not take or restore them; another organisation sees nothing', async () => {
    const documentId = await newDocument('guarded');
    const version = await saveVersion(first, documentId, 'guarded', admin);
    const versions = `/documents/${documentId}/versions`;

    const page = await api.expect<VersionPage>(200, 'GET', versions, undefined, viewer.accessToken);
    expect(page.data.map((listed) => listed.id)).toEqual([version.id]);
    const read = await api.expect<VersionSummary & { text: string }>(
      200,
      'GET',
      `${versions}/${version.id}`,
      undefined,
      viewer.accessToken,
    );
    expect(read).toEqual({ ...version, text: '' });
    expect((await api.call('POST', versions, { name: 'no' }, viewer.accessToken)).status).toBe(403);
    expect(
      (await api.call('POST', `${versions}/${version.id}/restore`, undefined, viewer.accessToken)).status,
    ).toBe(403);

    // Another organisation's document, a missing one and a missing version: one answer, 404.
    for (const [method, path] of [
      ['GET', versions],
      ['GET', `${versions}/${version.id}`],
      ['POST', `${versions}/${version.id}/restore`],
      ['GET', `/documents/${SOME_ID}/versions`],
      ['GET', `${versions}/${SOME_ID}`],
      ['POST', `${versions}/${SOME_ID}/restore`],
    ] as const) {
      const token = path.includes(SOME_ID) ? admin.accessToken : outsider.accessToken;
      expect({ method, path, status: (await api.call(method, path, undefined, token)).status }).toEqual({
        method,
        path,
        status: 404,
      });
    }
    expect((await api.call('POST', versions, { name: 'mine' }, outsider.accessToken)).status).toBe(404);
    // A version reached through another document of the same organisation is not found either.
    const other = await newDocument('other');
    expect(
      (await api.call('GET', `/documents/${other}/versions/${version.id}`, undefined, admin.accessToken))
        .status,
    ).toBe(404);
    expect(
      (
        await api.call(
          'POST',
          `/documents/${other}/versions/${version.id}/restore`,
          undefined,
          admin.accessToken,
        )
      ).status,
    ).toBe(404);
    expect(
      await ctx.pool.query('SELECT 1 FROM document_versions WHERE document_id = $1', [documentId]),
    ).toMatchObject({
      rowCount: 1,
    });
  });

  it('pages the versions newest first with a cursor bound to the document', async () => {
    const documentId = await newDocument('paged');
    const names = ['v1', 'v2', 'v3', 'v4', 'v5'];
    for (const name of names) await saveVersion(first, documentId, name);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
      const page: VersionPage = await api.expect<VersionPage>(
        200,
        'GET',
        `/documents/${documentId}/versions${query}`,
        undefined,
        viewer.accessToken,
      );
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((version) => version.name));
      cursor = page.pagination.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([...names].reverse());

    const firstPage = await api.expect<VersionPage>(
      200,
      'GET',
      `/documents/${documentId}/versions?limit=1`,
      undefined,
      viewer.accessToken,
    );
    const other = await newDocument('other list');
    const foreignCursor = await api.call<ErrorBody>(
      'GET',
      `/documents/${other}/versions?cursor=${encodeURIComponent(firstPage.pagination.nextCursor!)}`,
      undefined,
      viewer.accessToken,
    );
    expect(foreignCursor.status).toBe(400);
    for (const limit of ['0', '101', 'x']) {
      const refused = await api.call<ErrorBody>(
        'GET',
        `/documents/${documentId}/versions?limit=${limit}`,
        undefined,
        viewer.accessToken,
      );
      expect({
        limit,
        status: refused.status,
        fields: [...new Set(refused.body.details.map((d) => d.field))],
      }).toEqual({
        limit,
        status: 400,
        fields: ['limit'],
      });
    }
  });

  it('refuses a bad name or id with field-level 400s and stores nothing', async () => {
    const documentId = await newDocument('bad input');
    const versions = `/documents/${documentId}/versions`;
    const cases: Array<[unknown, string]> = [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ name: 'two\nlines' }, 'name'],
      [{ name: 'nul \u0000' }, 'name'],
      [{ name: 'lone \uD800' }, 'name'],
      [{ name: 42 }, 'name'],
      [{ name: 'ok', state: 'AAAA' }, 'state'],
    ];
    for (const [body, field] of cases) {
      const refused = await api.call<ErrorBody>('POST', versions, body, editor.accessToken);
      expect({
        body,
        status: refused.status,
        fields: [...new Set(refused.body.details.map((d) => d.field))],
      }).toEqual({
        body,
        status: 400,
        fields: [field],
      });
    }
    // 200 characters is the most a name may have, counted in characters (an emoji is one).
    await api.expect(201, 'POST', versions, { name: '😀'.repeat(200) }, editor.accessToken);
    for (const [path, field] of [
      [`/documents/not-a-uuid/versions`, 'id'],
      [`${versions}/not-a-uuid`, 'versionId'],
      [`${versions}/not-a-uuid/restore`, 'versionId'],
    ] as const) {
      const method = path.endsWith('restore') ? 'POST' : 'GET';
      const refused = await api.call<ErrorBody>(method, path, undefined, editor.accessToken);
      expect({
        path,
        status: refused.status,
        fields: [...new Set(refused.body.details.map((d) => d.field))],
      }).toEqual({
        path,
        status: 400,
        fields: [field],
      });
    }
    const { rows } = await ctx.pool.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM document_versions WHERE document_id = $1',
      [documentId],
    );
    expect(rows[0]!.count).toBe(1);
  });
});
