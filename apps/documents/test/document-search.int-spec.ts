import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext, waitUntil } from '@remedy/testing';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { CollabTestClient } from '../findings/support/collab-test-client.js';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { startTestWorker, type TestWorker } from '../findings/support/start-test-worker.js';

const ctx = useTestContext(documentsHarness);

interface SearchPageBody {
  data: Array<{ documentId: string; title: string; rank: number }>;
  pagination: { nextCursor: string | null };
}

describe('document search', () => {
  let testApp: TestApp;
  let worker: TestWorker;
  let api: ApiClient;
  let admin: AuthSessionBody;
  let other: AuthSessionBody;

  beforeAll(async () => {
    // Co-edited text is saved for search 50 ms after the edits pause (2 s in production).
    testApp = await startTestApp(ctx, { COLLAB_TEXT_SAVE_DEBOUNCE_MS: '50' });
    worker = await startTestWorker(ctx);
    api = new ApiClient(testApp.url);
    admin = await api.signup('search_admin@example.com');
    other = await api.signup('search_other@example.com');
  });

  afterAll(async () => {
    await worker.close();
    await testApp.close();
  });

  const create = (token: string, title: string, body = ''): Promise<{ id: string }> =>
    api.expect<{ id: string }>(201, 'POST', '/documents', { title, body }, token);

  const search = (token: string, query: string): Promise<SearchPageBody> =>
    api.expect<SearchPageBody>(200, 'GET', `/documents/search?${query}`, undefined, token);

  /** The index trails the write by the indexer's lag: wait until the search sees what it should. */
  const searchUntil = async (token: string, query: string, done: (page: SearchPageBody) => boolean) => {
    let page: SearchPageBody = { data: [], pagination: { nextCursor: null } };
    await waitUntil(`search ${query}`, async () => done((page = await search(token, query))), 15_000);
    return page;
  };

  it('ranks a title match above a body match and finds a misspelt title', async () => {
    const inBody = await create(admin.accessToken, 'Keynote notes', 'the glossary for the interpreters');
    const inTitle = await create(admin.accessToken, 'Glossary of medical terms', 'terms and sources');
    const page = await searchUntil(admin.accessToken, 'q=glossary', (p) => p.data.length === 2);
    expect(page.data.map((hit) => hit.documentId)).toEqual([inTitle.id, inBody.id]);
    const fuzzy = await search(admin.accessToken, `q=${encodeURIComponent('glosary')}`);
    expect(fuzzy.data.map((hit) => hit.documentId)).toContain(inTitle.id);
  });

  it("shows only the caller's organisation, follows renames and drops deleted documents", async () => {
    const mine = await create(admin.accessToken, 'Quarterly interpreting report');
    await create(other.accessToken, 'Quarterly interpreting report');
    const page = await searchUntil(admin.accessToken, 'q=quarterly', (p) => p.data.length > 0);
    expect(page.data.map((hit) => hit.documentId)).toEqual([mine.id]);
    await api.expect(200, 'PATCH', `/documents/${mine.id}`, { title: 'Annual report' }, admin.accessToken);
    await searchUntil(admin.accessToken, 'q=annual', (p) => p.data.some((hit) => hit.documentId === mine.id));
    expect((await search(admin.accessToken, 'q=quarterly')).data).toEqual([]);
    await api.expect(204, 'DELETE', `/documents/${mine.id}`, undefined, admin.accessToken);
    await searchUntil(admin.accessToken, 'q=annual', (p) => p.data.length === 0);
  });

  it('finds text co-edited over /collab once its edits pause', async () => {
    const { id } = await create(admin.accessToken, 'Shared agenda');
    const editor = await CollabTestClient.signedIn(testApp.url.replace('http', 'ws'), admin.accessToken);
    try {
      const text = await editor.openDocument(id);
      text.insert(0, 'interpreters for the plenary');
      await editor.until('saved', () => editor.has('saved'));
      const page = await searchUntil(admin.accessToken, 'q=plenary', (p) => p.data.length > 0);
      expect(page.data.map((hit) => hit.documentId)).toEqual([id]);
    } finally {
      await editor.close();
    }
  });

  it('pages with a cursor bound to its query', async () => {
    for (let i = 0; i < 5; i += 1) await create(admin.accessToken, `Minutes ${i}`, 'minutes of the meeting');
    await searchUntil(admin.accessToken, 'q=minutes&limit=50', (p) => p.data.length === 5);
    const first = await search(admin.accessToken, 'q=minutes&limit=2');
    const cursor = first.pagination.nextCursor ?? '';
    const second = await search(admin.accessToken, `q=minutes&limit=2&cursor=${encodeURIComponent(cursor)}`);
    const ids = [...first.data, ...second.data].map((hit) => hit.documentId);
    expect(new Set(ids).size).toBe(4);
    const reused = await api.call(
      'GET',
      `/documents/search?q=report&cursor=${encodeURIComponent(cursor)}`,
      undefined,
      admin.accessToken,
    );
    expect(reused.status).toBe(400);
  });

  it('refuses bad input with a 400 and anonymous callers with a 401', async () => {
    for (const query of [
      '',
      'q=',
      'q=%20%21%3F',
      `q=${'a'.repeat(201)}`,
      'q=x&limit=51',
      'q=x&cursor=nope',
    ]) {
      const answer = await api.call<{ details?: unknown[] }>(
        'GET',
        `/documents/search?${query}`,
        undefined,
        admin.accessToken,
      );
      expect({ query, status: answer.status }).toEqual({ query, status: 400 });
      expect(answer.body.details).toBeDefined();
    }
    expect((await api.call('GET', '/documents/search?q=x')).status).toBe(401);
  });
});
