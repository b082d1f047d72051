import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, useTestContext, waitUntil } from '@remedy/testing';
import { ApiClient, TEST_PASSWORD, type SessionBody } from '../../findings/support/api-client.js';
import { liveStreamingHarness } from '../../findings/support/live-streaming-harness.js';
import { startTestApp, type TestApp } from '../../findings/support/start-test-app.js';

const ctx = useTestContext(liveStreamingHarness);

/**
 * 4 s viewer buckets: the server asks for a heartbeat every 2 s (the page reads the count on the same tick), so a
 * viewer who stays is in every bucket twice over, and one who leaves falls out of the count within 8 s of its
 * last heartbeat.
 */
const VIEWER_BUCKET_SECONDS = 4;

interface Viewer {
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested or opened a WebSocket to: none may carry a token. */
  urls: string[];
  /** The tokens the page's sign-in got (the session it keeps in sessionStorage). */
  tokens: string[];
  /** Heartbeat frames the page has sent on /chat. */
  heartbeats: number;
}

interface StoredSession {
  accessToken: string;
  refreshToken: string;
}

describe('the viewer page in headless Chromium', () => {
  let app: TestApp;
  let api: ApiClient;
  let browser: Browser;
  let streamer: SessionBody;
  const viewers: Viewer[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    app = await startTestApp(ctx, {
      VIEWER_BUCKET_SECONDS: String(VIEWER_BUCKET_SECONDS),
      VIEWER_FLUSH_INTERVAL_MS: '50',
    });
    api = new ApiClient(app.url);
    streamer = await api.signup('page_streamer@example.com');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(viewers.map((viewer) => viewer.context.close()));
    await browser?.close();
    await app?.close();
  });

  /** A browser of its own (cookies, sessionStorage) for one viewer, recording every URL it reaches for. */
  async function openBrowser(): Promise<Viewer> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const viewer: Viewer = { context, page, urls: [], tokens: [], heartbeats: 0 };
    page.on('request', (request) => viewer.urls.push(request.url()));
    page.on('websocket', (socket) => {
      viewer.urls.push(socket.url());
      socket.on('framesent', ({ payload }) => {
        if (typeof payload === 'string' && (JSON.parse(payload) as { type: string }).type === 'heartbeat')
          viewer.heartbeats += 1;
      });
    });
    viewers.push(viewer);
    return viewer;
  }

  async function signIn({ page, tokens }: Viewer, email: string): Promise<void> {
    await page.fill('#email', email);
    await page.fill('#password', TEST_PASSWORD);
    await page.click('#sign-in button[type="submit"]');
    await page.locator('#who', { hasText: email }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#sign-in').isHidden()).toBe(true);
    const stored = await page.evaluate(() =>
      (
        globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }
      ).sessionStorage.getItem('live-streaming:session'),
    );
    const session = JSON.parse(stored ?? 'null') as StoredSession | null;
    if (session === null) throw new Error('the page keeps no session after signing in');
    tokens.push(session.accessToken, session.refreshToken);
  }

  async function goLive(session: SessionBody, title: string): Promise<string> {
    const stream = await api.expect<{ id: string }>(
      201,
      'POST',
      '/streams',
      { title, category: 'music' },
      session.accessToken,
    );
    return stream.id;
  }

  const viewerCount = (page: Page, count: number) =>
    page.locator('#viewer-count', { hasText: new RegExp(`^${count}$`) });

  const viewerWindow = (streamId: string, token: string) =>
    api.expect<{ viewers: number; windowSeconds: number }>(
      200,
      'GET',
      `/streams/${streamId}/viewers`,
      undefined,
      token,
    );

  const serverCount = async (streamId: string, token: string): Promise<number> =>
    (await viewerWindow(streamId, token)).viewers;

  /**
   * Holds until each page has sent enough heartbeats to span the count's whole window past this moment: by then
   * a viewer counted only by its join (or by heartbeats that stopped) has left the count, so what the count shows
   * is what the heartbeats keep in it. Waits on the pages' own frames, not on a timer of the test's.
   */
  async function holdThroughWindow(pages: Viewer[], windowSeconds: number): Promise<void> {
    const heartbeatSeconds = VIEWER_BUCKET_SECONDS / 2;
    const needed = Math.ceil(windowSeconds / heartbeatSeconds) + 2;
    const from = pages.map((viewer) => viewer.heartbeats);
    await waitUntil(
      `${needed} more heartbeats from each page`,
      () => pages.every((viewer, index) => viewer.heartbeats >= from[index]! + needed),
      (needed + 10) * heartbeatSeconds * 1000,
    );
  }

  it('two signed-in viewers chat with each other, the count rises when the second joins and falls after it leaves, and no token is ever in a URL', async () => {
    const streamId = await goLive(streamer, 'Night train ambience');
    const aiko = await api.signup('aiko_viewer@example.com');
    const ben = await api.signup('ben_viewer@example.com');

    // Aiko finds the stream in the public live list, signs in there and opens it.
    const first = await openBrowser();
    await first.page.goto(`${app.url}/watch`);
    const listed = first.page.locator(`#live-streams li[data-stream-id="${streamId}"]`);
    await listed.waitFor({ timeout: 15_000 });
    expect(await listed.innerText()).toContain('Night train ambience');
    expect(await listed.innerText()).toContain('@page_streamer');
    await signIn(first, aiko.user.email);
    await listed.locator('a').click();
    await first.page.waitForURL(`${app.url}/watch/${streamId}`);
    // The session came along in the tab's sessionStorage: no second sign-in.
    await first.page.waitForSelector('body[data-chat="joined"]', { timeout: 15_000 });
    expect(await first.page.locator('#stream-title').textContent()).toBe('Night train ambience');
    await viewerCount(first.page, 1).waitFor({ timeout: 15_000 });

    // Ben opens the stream's address directly, signs in, and joins: Aiko's count moves to 2.
    const second = await openBrowser();
    await second.page.goto(`${app.url}/watch/${streamId}`);
    expect(await second.page.locator('#status').textContent()).toContain('Sign in to watch');
    await signIn(second, ben.user.email);
    await second.page.waitForSelector('body[data-chat="joined"]', { timeout: 15_000 });
    await viewerCount(first.page, 2).waitFor({ timeout: 30_000 });
    await viewerCount(second.page, 2).waitFor({ timeout: 30_000 });

    // A line Ben sends appears on Aiko's page, and Aiko's answer on Ben's.
    await second.page.fill('#chat-text', 'hello from ben');
    await second.page.click('#chat-form button[type="submit"]');
    const fromBen = first.page.locator('#messages li', { hasText: 'hello from ben' });
    await fromBen.waitFor({ timeout: 15_000 });
    expect(await fromBen.locator('.author').textContent()).toBe('ben_viewer');
    await first.page.fill('#chat-text', 'hi ben <b>not bold</b>');
    await first.page.press('#chat-text', 'Enter');
    const fromAiko = second.page.locator('#messages li', { hasText: 'hi ben <b>not bold</b>' });
    await fromAiko.waitFor({ timeout: 15_000 });
    expect(await fromAiko.locator('.author').textContent()).toBe('aiko_viewer');
    expect(await second.page.locator('#messages b').count()).toBe(0);

    // Both stay past a whole window: their heartbeats, not their joins, keep them counted.
    const { windowSeconds } = await viewerWindow(streamId, aiko.accessToken);
    await holdThroughWindow([first, second], windowSeconds);
    expect(await serverCount(streamId, aiko.accessToken)).toBe(2);

    // Ben closes his browser: his heartbeats stop. The count falls to 1 once his last bucket leaves the window
    // (at most 2 buckets), on Aiko's page and in the API alike, and stays there while Aiko's heartbeats go on.
    await second.context.close();
    viewers.splice(viewers.indexOf(second), 1);
    await viewerCount(first.page, 1).waitFor({ timeout: 2 * windowSeconds * 1000 + 15_000 });
    await holdThroughWindow([first], windowSeconds);
    expect(await serverCount(streamId, aiko.accessToken)).toBe(1);
    await viewerCount(first.page, 1).waitFor({ timeout: 15_000 });
    expect(await first.page.locator('body').getAttribute('data-chat')).toBe('joined');

    // Neither page put a token in a URL: not in the page's address, a fetch, or the WebSocket's.
    const tokens = [...first.tokens, ...second.tokens];
    expect(tokens).toHaveLength(4);
    const urls = [...first.urls, ...second.urls];
    expect(urls.some((url) => url.endsWith('/chat'))).toBe(true);
    expect(urls.filter((url) => tokens.some((token) => url.includes(token)) || /token/i.test(url))).toEqual(
      [],
    );
  }, 180_000);

  it('a stream that ends while watched turns into a link to its recording, without a reload', async () => {
    const other = await api.signup('ending_streamer@example.com');
    const streamId = await goLive(other, 'Last song of the night');
    const viewer = await api.signup('watching_viewer@example.com');
    const watching = await openBrowser();
    await watching.page.goto(`${app.url}/watch/${streamId}`);
    await signIn(watching, viewer.user.email);
    await watching.page.waitForSelector('body[data-chat="joined"]', { timeout: 15_000 });
    await watching.page.evaluate(() => {
      (globalThis as unknown as { sameDocument: boolean }).sameDocument = true;
    });

    await api.expect(200, 'POST', `/streams/${streamId}/end`, undefined, other.accessToken);
    await watching.page.waitForSelector('body[data-chat="ended"]', { timeout: 15_000 });
    expect(await watching.page.locator('#archive-link').getAttribute('href')).toBe(
      `/watch/archive/${streamId}`,
    );
    expect(await watching.page.locator('#live-part').isHidden()).toBe(true);
    expect(
      await watching.page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument),
    ).toBe(true);
  }, 60_000);

  it('an ended stream links to its recording and opens no chat', async () => {
    const other = await api.signup('ended_streamer@example.com');
    const streamId = await goLive(other, 'Yesterday’s speedrun');
    await api.expect(200, 'POST', `/streams/${streamId}/end`, undefined, other.accessToken);
    const viewer = await api.signup('late_viewer@example.com');

    const late = await openBrowser();
    const { page, urls } = late;
    await page.goto(`${app.url}/watch/${streamId}`);
    await signIn(late, viewer.user.email);
    await page.waitForSelector('body[data-chat="ended"]', { timeout: 15_000 });
    expect(await page.locator('#archive-link').getAttribute('href')).toBe(`/watch/archive/${streamId}`);
    expect(await page.locator('#live-part').isHidden()).toBe(true);
    expect(urls.some((url) => url.endsWith('/chat'))).toBe(false);
  }, 60_000);

  it('serves the page with a content security policy, and refuses a malformed stream id with the field named', async () => {
    const page = await fetch(`${app.url}/watch`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const malformed = await fetch(`${app.url}/watch/not-a-stream`);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      statusCode: 400,
      details: [expect.objectContaining({ field: 'streamId' })],
    });
  });
});
