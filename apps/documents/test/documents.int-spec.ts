import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

const ctx = useTestContext(documentsHarness);

interface DocumentBody {
  id: string;
  organisationId: string;
  ownerId: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

interface DocumentPageBody {
  data: DocumentBody[];
  pagination: { nextCursor: string | null };
}

describe('documents', () => {
  let testApp: TestApp;
  let api: ApiClient;
  let admin: AuthSessionBody;
  let editor: AuthSessionBody;
  let viewer: AuthSessionBody;
  let otherAdmin: AuthSessionBody;

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    api = new ApiClient(testApp.url);
    admin = await api.signup('documents_admin@example.com');
    editor = await api.addMember(admin.accessToken, 'documents_editor@example.com', 'editor');
    viewer = await api.addMember(admin.accessToken, 'documents_viewer@example.com', 'viewer');
    otherAdmin = await api.signup('documents_other@example.com');
  });

  afterAll(async () => {
    await testApp.close();
  });

  const create = (title: string, token: string): Promise<DocumentBody> =>
    api.expect<DocumentBody>(201, 'POST', '/documents', { title }, token);

  it('creates, reads, renames and deletes a document', async () => {
    const created = await create('Brief', editor.accessToken);
    expect(created).toMatchObject({
      title: 'Brief',
      ownerId: editor.user.id,
      organisationId: editor.user.organisationId,
    });
    expect(await api.expect(200, 'GET', `/documents/${created.id}`, undefined, viewer.accessToken)).toEqual(
      created,
    );
    const renamed = await api.expect<DocumentBody>(
      200,
      'PATCH',
      `/documents/${created.id}`,
      { title: 'Brief, v2' },
      admin.accessToken,
    );
    expect(renamed).toMatchObject({ id: created.id, title: 'Brief, v2', createdAt: created.createdAt });
    expect(renamed.updatedAt > created.updatedAt).toBe(true);
    await api.expect(204, 'DELETE', `/documents/${created.id}`, undefined, editor.accessToken);
    expect((await api.call('GET', `/documents/${created.id}`, undefined, admin.accessToken)).status).toBe(
      404,
    );
  });

  it('lets an editor delete only their own documents and an admin any; a viewer changes nothing', async () => {
    const admins = await create('Admin notes', admin.accessToken);
    const editors = await create('Editor notes', editor.accessToken);
    const refused = await api.call('DELETE', `/documents/${admins.id}`, undefined, editor.accessToken);
    expect(refused.status).toBe(403);
    expect((await api.call('POST', '/documents', { title: 'x' }, viewer.accessToken)).status).toBe(403);
    expect(
      (await api.call('PATCH', `/documents/${editors.id}`, { title: 'x' }, viewer.accessToken)).status,
    ).toBe(403);
    await api.expect(204, 'DELETE', `/documents/${editors.id}`, undefined, admin.accessToken);
    await api.expect(204, 'DELETE', `/documents/${admins.id}`, undefined, admin.accessToken);
  });

  it("hides another organisation's document behind a 404 on every operation", async () => {
    const mine = await create('Private', admin.accessToken);
    const token = otherAdmin.accessToken;
    expect((await api.call('GET', `/documents/${mine.id}`, undefined, token)).status).toBe(404);
    expect((await api.call('PATCH', `/documents/${mine.id}`, { title: 'Taken' }, token)).status).toBe(404);
    expect((await api.call('DELETE', `/documents/${mine.id}`, undefined, token)).status).toBe(404);
    const theirs = await api.expect<DocumentPageBody>(200, 'GET', '/documents', undefined, token);
    expect(theirs.data.map((document) => document.id)).not.toContain(mine.id);
    expect(
      (await api.expect<DocumentBody>(200, 'GET', `/documents/${mine.id}`, undefined, admin.accessToken))
        .title,
    ).toBe('Private');
  });

  it('lists the organisation’s documents newest first in keyset pages, each document once', async () => {
    const signedUp = await api.signup('documents_pages@example.com');
    const ids: string[] = [];
    for (let index = 0; index < 7; index += 1)
      ids.push((await create(`Doc ${index}`, signedUp.accessToken)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : '?limit=3';
      const page: DocumentPageBody = await api.expect<DocumentPageBody>(
        200,
        'GET',
        `/documents${query}`,
        undefined,
        signedUp.accessToken,
      );
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((document) => document.id));
      cursor = page.pagination.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('answers 400 with field details for a bad title, page size or cursor', async () => {
    const token = admin.accessToken;
    const badTitle = await api.call<{ details: unknown[] }>('POST', '/documents', { title: '' }, token);
    expect(badTitle.status).toBe(400);
    expect(badTitle.body.details.length).toBeGreaterThan(0);
    expect((await api.call('POST', '/documents', { title: 'x'.repeat(201) }, token)).status).toBe(400);
    expect((await api.call('GET', '/documents?limit=101', undefined, token)).status).toBe(400);
    expect((await api.call('GET', '/documents?limit=0', undefined, token)).status).toBe(400);
    expect((await api.call('GET', '/documents?cursor=not-a-cursor', undefined, token)).status).toBe(400);
    expect((await api.call('GET', '/documents/not-a-uuid', undefined, token)).status).toBe(400);
  });
});
