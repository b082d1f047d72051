import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import { useTestContext, waitUntil, launchChromium } from '@remedy/testing';
import { ApiClient, TEST_PASSWORD, type AuthSessionBody } from '../../findings/support/api-client.js';
import { documentsHarness } from '../../findings/support/documents-harness.js';
import { startTestApp, type TestApp } from '../../findings/support/start-test-app.js';
import { startTestWorker, type TestWorker } from '../../findings/support/start-test-worker.js';

const ctx = useTestContext(documentsHarness);

/** How long the page may take to show what the test waits for (a loaded machine runs many browsers). */
const SHOWN_MS = 20_000;
/**
 * The text in a page's editor as CodeMirror holds it (its DOM also shows the others' name tags), read through
 * the page's own CodeMirror module: the import map resolves the same URL, so it is the same module instance.
 */
const EDITOR_TEXT = `import('@codemirror/view').then(({ EditorView }) =>
  EditorView.findFromDOM(document.querySelector('#content .cm-editor')).state.doc.toString())`;

interface Editor {
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested or opened a WebSocket to (none may carry a token), and its errors. */
  urls: string[];
  /** The page's /collab sockets, routed through the test so it can cut them (the page "goes offline"). */
  sockets: WebSocketRoute[];
  /** While true, the page's new /collab sockets are closed as soon as they open: its network is down. */
  offline: boolean;
}

describe('the editor page in headless Chromium', () => {
  let app: TestApp;
  let worker: TestWorker;
  let api: ApiClient;
  let browser: Browser;
  let alice: AuthSessionBody;
  let bob: AuthSessionBody;
  const editors: Editor[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    // Co-edited text is saved for search 100 ms after the typing pauses (2 s in production), so the search
    // step waits on the indexer, not on the debounce.
    app = await startTestApp(ctx, { COLLAB_TEXT_SAVE_DEBOUNCE_MS: '100' });
    worker = await startTestWorker(ctx);
    api = new ApiClient(app.url);
    alice = await api.signup('alice_editor@example.com');
    bob = await api.addMember(alice.accessToken, 'bob_editor@example.com', 'editor');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(editors.map((editor) => editor.context.close()));
    await browser?.close();
    await worker?.close();
    await app?.close();
  });

  /** A browser of its own (sessionStorage) for one person, recording every URL and routing its /collab sockets. */
  async function openBrowser(): Promise<Editor> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const editor: Editor = { context, page, urls: [], sockets: [], offline: false };
    page.on('request', (request) => editor.urls.push(request.url()));
    page.on('pageerror', (error) => editor.urls.push(`pageerror: ${error.message}`));
    // A script, style or connection the content security policy blocks is reported on the console.
    page.on('console', (message) => {
      if (/content security policy/i.test(message.text())) editor.urls.push(`pageerror: ${message.text()}`);
    });
    await page.routeWebSocket(/\/collab/, (socket) => {
      editor.urls.push(socket.url());
      if (editor.offline) return socket.close({ code: 4000, reason: 'offline' });
      editor.sockets.push(socket);
      socket.connectToServer();
    });
    editors.push(editor);
    return editor;
  }

  async function signIn({ page }: Editor, email: string): Promise<void> {
    await page.fill('#email', email);
    await page.fill('#password', TEST_PASSWORD);
    await page.click('#sign-in button[type="submit"]');
    await page.locator('#who', { hasText: email }).waitFor({ timeout: SHOWN_MS });
  }

  const connected = (page: Page) =>
    page.waitForSelector('body[data-connection="synced"]', { timeout: SHOWN_MS });
  const content = (page: Page) => page.evaluate<string>(EDITOR_TEXT);
  /** The other person's caret as CodeMirror draws it in this page (y-codemirror.next), tagged with their name. */
  const remoteCaret = (page: Page, name: string) =>
    page.locator('#content .cm-ySelectionCaret .cm-ySelectionInfo', { hasText: name });

  /** Waits until every page's editor holds the same text, containing each of `parts`; returns it. */
  async function converged(pages: Page[], parts: string[]): Promise<string> {
    let texts: string[] = [];
    await waitUntil(
      `the pages converge on text with ${parts.join(', ')}`,
      async () => {
        texts = await Promise.all(pages.map(content));
        return texts.every((text) => text === texts[0]) && parts.every((part) => texts[0]!.includes(part));
      },
      SHOWN_MS,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the pages hold ${JSON.stringify(texts)}`);
    });
    return texts[0]!;
  }

  /** Types at the start or the end of the page's text (the caret goes there first). */
  async function typeAt(where: 'Home' | 'End', page: Page, text: string): Promise<void> {
    await page.focus('#content .cm-content');
    await page.keyboard.press(`Control+${where}`);
    await page.keyboard.type(text);
  }
  const typeAtEnd = (page: Page, text: string) => typeAt('End', page, text);

  it('two people edit one document and converge, see each other, survive a drop of one connection, and find the text by search', async () => {
    const created = await api.expect<{ id: string }>(
      201,
      'POST',
      '/documents',
      { title: 'Meeting minutes' },
      alice.accessToken,
    );

    // Alice signs in on the list, finds the document there and opens it.
    const first = await openBrowser();
    await first.page.goto(`${app.url}/edit`);
    await signIn(first, alice.user.email);
    const listed = first.page.locator(`#documents li[data-document-id="${created.id}"] a`);
    await listed.waitFor({ timeout: SHOWN_MS });
    expect(await listed.textContent()).toBe('Meeting minutes');
    await listed.click();
    await first.page.waitForURL(`${app.url}/edit/${created.id}`);
    await connected(first.page);
    expect(await first.page.locator('#document-title').textContent()).toBe('Meeting minutes');

    // Bob opens the document's address directly and signs in there.
    const second = await openBrowser();
    await second.page.goto(`${app.url}/edit/${created.id}`);
    expect(await second.page.locator('#status').textContent()).toContain('Sign in to edit this document');
    await signIn(second, bob.user.email);
    await connected(second.page);

    // Each sees the other here.
    await first.page.locator('#presence li', { hasText: bob.user.email }).waitFor({ timeout: SHOWN_MS });
    await second.page.locator('#presence li', { hasText: alice.user.email }).waitFor({ timeout: SHOWN_MS });

    // Alice writes a line; then both type at once, she at the start and he at the end (two people typing at
    // one spot interleave their letters in any editor); both pages end with the same text holding both.
    await typeAtEnd(first.page, '— minutes —');
    await converged([first.page, second.page], ['— minutes —']);
    await Promise.all([
      typeAt('Home', first.page, 'Alice notes the budget. '),
      typeAtEnd(second.page, ' Bob adds the venue. '),
    ]);
    await converged([first.page, second.page], ['Alice notes the budget. — minutes — Bob adds the venue. ']);
    // Each sees the other's caret in the text, tagged with their name (drawn from the other's presence), and
    // Alice's list says where Bob is.
    await remoteCaret(first.page, bob.user.email).waitFor({ state: 'attached', timeout: SHOWN_MS });
    await remoteCaret(second.page, alice.user.email).waitFor({ state: 'attached', timeout: SHOWN_MS });
    expect(await remoteCaret(first.page, alice.user.email).count()).toBe(0);
    await first.page
      .locator('#presence li', { hasText: bob.user.email })
      .locator('.where')
      .waitFor({ timeout: SHOWN_MS });

    // Bob's connection drops and stays down: his page says so, keeps his edits, and retries.
    second.offline = true;
    for (const socket of second.sockets.splice(0)) await socket.close({ code: 4000, reason: 'network down' });
    await second.page.waitForSelector('body[data-connection="offline"]', { timeout: SHOWN_MS });
    await typeAtEnd(second.page, 'Offline thought: catering. ');
    await typeAtEnd(first.page, 'Alice adds the agenda. ');
    await second.page.waitForSelector('body[data-saved="pending"]', { timeout: SHOWN_MS });
    await first.page.waitForSelector('body[data-saved="saved"]', { timeout: SHOWN_MS });
    expect(await content(first.page)).not.toContain('catering');
    expect(await content(second.page)).not.toContain('agenda');

    // The network is back: the page reconnects by itself, resyncs both ways, and both converge.
    second.offline = false;
    // Its next retry comes at most RECONNECT_MAX_MS (15 s) after the last refused one.
    await second.page.waitForSelector('body[data-connection="synced"]', { timeout: 15_000 + SHOWN_MS });
    const text = await converged(
      [first.page, second.page],
      [
        'Alice notes the budget. — minutes — Bob adds the venue. ',
        'Offline thought: catering. ',
        'Alice adds the agenda. ',
      ],
    );
    await second.page.waitForSelector('body[data-saved="saved"]', { timeout: SHOWN_MS });
    await first.page.locator('#presence li', { hasText: bob.user.email }).waitFor({ timeout: SHOWN_MS });

    // What was typed is stored: a page opened afterwards reads it from the server.
    const third = await openBrowser();
    await third.page.goto(`${app.url}/edit/${created.id}`);
    await signIn(third, alice.user.email);
    await connected(third.page);
    expect(await content(third.page)).toBe(text);

    // Search finds the co-edited text once it is indexed (saved after the pause, then through the outbox).
    await waitUntil(
      'search finds the text Bob typed offline',
      async () => {
        await second.page.fill('#search-text', 'catering');
        await second.page.click('#search-form button[type="submit"]');
        await second.page.waitForSelector('#search-results[data-query="catering"] li', { timeout: SHOWN_MS });
        return (
          (await second.page.locator(`#search-results li[data-document-id="${created.id}"]`).count()) === 1
        );
      },
      SHOWN_MS,
    );
    expect(
      await second.page
        .locator(`#search-results li[data-document-id="${created.id}"] a`)
        .getAttribute('href'),
    ).toBe(`/edit/${created.id}`);

    // No page put a token in a URL: not in the address, a fetch, a module or the WebSocket's.
    const tokens = [alice, bob].flatMap((person) => [person.accessToken, person.refreshToken]);
    const urls = editors.flatMap((editor) => editor.urls);
    expect(urls.filter((url) => url.startsWith('pageerror'))).toEqual([]);
    expect(urls.some((url) => url.endsWith('/collab'))).toBe(true);
    expect(urls.filter((url) => tokens.some((token) => url.includes(token)) || /token/i.test(url))).toEqual(
      [],
    );
  }, 240_000);

  it('serves the page with a content security policy, modules at pinned paths, and nothing else from node_modules', async () => {
    const page = await fetch(`${app.url}/edit`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    const html = await page.text();
    const { imports } = JSON.parse(/<script type="importmap">(.*?)<\/script>/s.exec(html)![1]!) as {
      imports: Record<string, string>;
    };
    expect(imports['yjs']).toMatch(/^\/edit\/assets\/yjs@\d+\.\d+\.\d+\/yjs\.mjs$/);
    expect(imports['@codemirror/view']).toMatch(
      /^\/edit\/assets\/@codemirror\/view@\d+\.\d+\.\d+\/index\.js$/,
    );
    expect(imports['y-codemirror.next']).toMatch(
      /^\/edit\/assets\/y-codemirror\.next@\d+\.\d+\.\d+\/index\.js$/,
    );
    // Every module the map names is served, and so is a file a module imports beside itself.
    const bindingFolder = imports['y-codemirror.next']!.replace('index.js', '');
    for (const path of new Set([...Object.values(imports), `${bindingFolder}y-sync.js`])) {
      const served = await fetch(`${app.url}${path}`);
      expect([path, served.status]).toEqual([path, 200]);
      expect(served.headers.get('cache-control')).toContain('immutable');
    }
    const view = imports['@codemirror/view']!;
    for (const path of [
      '/edit/assets/yjs@0.0.1/yjs.mjs',
      '/edit/assets/lib0@0.0.1/encoding.js',
      `${imports['lib0/encoding']!.replace('encoding.js', 'package.json')}`,
      `${imports['lib0/encoding']!.replace('encoding.js', '..%2F..%2Fpackage.json')}`,
      '/edit/assets/pg@8.0.0/index.js',
      // Beside the listed modules: their CommonJS builds, type declarations and manifests, a traversal, and an
      // installed package the page does not run.
      view.replace('index.js', 'index.cjs'),
      view.replace('index.js', 'index.d.ts'),
      view.replace('index.js', 'package.json'),
      view.replace('index.js', '../package.json'),
      view.replace('index.js', '..%2Fpackage.json'),
      view.replace(/@\d+\.\d+\.\d+/, '@6.0.0'),
      `${bindingFolder}../dist/y-codemirror.cjs`,
      `${bindingFolder}..%2Fdist%2Fy-codemirror.cjs`,
      '/edit/assets/@lezer/lr@1.4.13/index.js',
      '/edit/assets/@codemirror/view/index.js',
    ])
      expect([path, (await fetch(`${app.url}${path}`)).status]).toEqual([path, 404]);
    const malformed = await fetch(`${app.url}/edit/not-a-document`);
    expect(malformed.status).toBe(400);
  });
});
