import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  SpeechToTextEmulator,
  synthesiseSpeech,
  useTestContext,
  waitUntil,
  type SynthesisedSpeech,
  launchChromium,
} from '@remedy/testing';
import { ApiClient, TEST_PASSWORD, type AuthSessionBody } from '../../findings/support/api-client.js';
import { ChatTestClient } from '../../findings/support/chat-test-client.js';
import { organiserWithLiveSession, type SessionBody } from '../../findings/support/session-fixtures.js';
import { speak, startStream } from '../../findings/support/speech-fixtures.js';
import { startTestApp, type TestApp } from '../../findings/support/start-test-app.js';
import { startTestWorker, type TestWorker } from '../../findings/support/start-test-worker.js';
import { translationHarness } from '../../findings/support/translation-harness.js';
import {
  startTranslationProviders,
  type TranslationProviders,
} from '../../findings/support/translation-providers.js';

const ctx = useTestContext(translationHarness);

/**
 * The provider is held by the test, not timed: no timeout of the app's may end a held call before the test
 * releases it (the pending state is what the test looks at while it is held).
 */
const SETTINGS = { TRANSLATION_TIMEOUT_MS: '60000', CHAT_TRANSLATION_TIMEOUT_MS: '120000' };
/** What the speaker says (espeak-ng, in English), one caption line each. */
const SPEECH = ['Welcome to the keynote.', 'Questions come at the end.'];

interface Participant {
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested or opened a WebSocket to: none may carry a token. */
  urls: string[];
  /** The tokens the page's sign-in got (the session it keeps in sessionStorage). */
  tokens: string[];
}

describe('the session page in headless Chromium', () => {
  let providers: TranslationProviders;
  let speechToText: SpeechToTextEmulator;
  let speech: SynthesisedSpeech;
  let app: TestApp | undefined;
  let worker: TestWorker;
  let api: ApiClient;
  let browser: Browser;
  let organiser: AuthSessionBody;
  let session: SessionBody;
  const participants: Participant[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    providers = await startTranslationProviders();
    speechToText = await SpeechToTextEmulator.start();
    speech = await synthesiseSpeech(SPEECH);
    speechToText.speak(speech.sentences);
    app = await startTestApp(ctx, appSettings());
    worker = await startTestWorker(ctx, { ...providers.env, ...SETTINGS });
    api = new ApiClient(app.url);
    ({ organiser, session } = await organiserWithLiveSession(api, 'page_organiser@example.com'));
  }, 60_000);

  afterAll(async () => {
    providers?.google.release();
    await Promise.all(participants.map((participant) => participant.context.close()));
    await browser?.close();
    await worker?.close();
    await app?.close();
    await providers?.stop();
    await speechToText?.stop();
  });

  /** The API's settings: the engines, the speech-to-text service and the held-call timeouts. */
  function appSettings(): Record<string, string> {
    return { ...providers.env, ...SETTINGS, STT_URL: speechToText.url, STT_KEY: speechToText.key };
  }

  /** A browser of its own (cookies, sessionStorage) for one participant, recording every URL it reaches for. */
  async function openBrowser(): Promise<Participant> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const participant: Participant = { context, page, urls: [], tokens: [] };
    page.on('request', (request) => participant.urls.push(request.url()));
    page.on('websocket', (socket) => participant.urls.push(socket.url()));
    participants.push(participant);
    return participant;
  }

  /** Opens the session's page, signs in and joins in `language`; resolves once the socket is in the session. */
  async function join(url: string, email: string, language: string): Promise<Participant> {
    const participant = await openBrowser();
    const { page, tokens } = participant;
    await page.goto(`${url}/room/${session.id}`);
    expect(await page.locator('#status').textContent()).toContain('Sign in to join this session');
    await page.fill('#email', email);
    await page.fill('#password', TEST_PASSWORD);
    await page.click('#sign-in button[type="submit"]');
    await page.locator('#session-title', { hasText: session.title }).waitFor({ timeout: 15_000 });
    await page.fill('#language', language);
    await page.click('#language-form button[type="submit"]');
    await page.waitForSelector('body[data-connection="connected"]', { timeout: 15_000 });
    expect(await page.locator('#connection').textContent()).toContain(`appear in ${language}`);
    const stored = await page.evaluate(() =>
      (
        globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }
      ).sessionStorage.getItem('translation:session'),
    );
    const kept = JSON.parse(stored ?? 'null') as { accessToken: string; refreshToken: string } | null;
    if (kept === null) throw new Error('the page keeps no session after signing in');
    tokens.push(kept.accessToken, kept.refreshToken);
    return participant;
  }

  async function send(page: Page, text: string): Promise<void> {
    await page.fill('#chat-text', text);
    await page.press('#chat-text', 'Enter');
  }

  const message = (page: Page, text: string) => page.locator('#messages li', { hasText: text });

  it('two participants in two languages each see the other’s message translated, the sender sees it pending until it is delivered, the page recovers after its socket drops, and both see the speaker’s captions in their language', async () => {
    const viewer = await api.addMember(organiser.accessToken, 'page_viewer@example.com', 'viewer');
    const english = await join(app!.url, organiser.user.email, 'en');
    const german = await join(app!.url, viewer.user.email, 'de');

    // The provider holds the German translation: the sender's line stays pending, the reader has nothing yet.
    providers.google.hold();
    await send(english.page, 'Good morning, everyone');
    const sent = message(english.page, 'Good morning, everyone');
    await sent.and(english.page.locator('[data-state="pending"]')).waitFor({ timeout: 15_000 });
    expect(await sent.locator('.state').textContent()).toContain('pending');
    await waitForHeld(providers, 1);
    expect(await message(german.page, 'Good morning').count()).toBe(0);

    providers.google.release();
    const received = message(german.page, '[de] Good morning, everyone');
    await received.and(german.page.locator('[data-state="translated"]')).waitFor({ timeout: 15_000 });
    expect(await received.locator('.state').textContent()).toBe('translated from en');
    await sent.and(english.page.locator('[data-state="delivered"]')).waitFor({ timeout: 15_000 });
    expect(await sent.locator('.author').textContent()).toBe('You');

    // And back: the German line reaches the English reader in English.
    await send(german.page, 'Guten Morgen <b>zusammen</b>');
    const answer = message(english.page, '[en] Guten Morgen <b>zusammen</b>');
    await answer.and(english.page.locator('[data-state="translated"]')).waitFor({ timeout: 15_000 });
    expect(await answer.locator('.state').textContent()).toBe('translated from de');
    expect(await english.page.locator('#messages b').count()).toBe(0);

    // The API instance goes away (its sockets are closed with 1012) and comes back on the same port: both pages
    // say they are disconnected, reconnect by themselves and rejoin in their language, without a reload.
    for (const { page } of [english, german])
      await page.evaluate(() => {
        (globalThis as unknown as { sameDocument: boolean }).sameDocument = true;
      });
    const port = new URL(app!.url).port;
    await app!.close();
    app = undefined;
    for (const { page } of [english, german]) {
      await page.waitForSelector('body[data-connection="reconnecting"]', { timeout: 15_000 });
      expect(await page.locator('#connection').textContent()).toMatch(
        /^Disconnected since \d\d:\d\d:\d\d.* — reconnecting/,
      );
      expect(await page.locator('#chat-text').isDisabled()).toBe(true);
    }
    app = await startTestApp(ctx, { ...appSettings(), PORT: port });
    for (const { page } of [english, german])
      await page.waitForSelector('body[data-connection="connected"]', { timeout: 60_000 });
    expect(await german.page.locator('#connection').textContent()).toContain('appear in de');

    await send(english.page, 'We are back');
    await message(german.page, '[de] We are back').waitFor({ timeout: 15_000 });
    await send(german.page, 'Willkommen zurück');
    await message(english.page, '[en] Willkommen zurück').waitFor({ timeout: 15_000 });
    for (const { page } of [english, german])
      expect(
        await page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument),
      ).toBe(true);

    // The organiser speaks (synthesised speech on /speech, the session spoken in ja): each page shows every
    // final segment as a caption line in its own language, and nothing of the partial results the speaker got.
    const speaker = await ChatTestClient.open(app.url.replace(/^http/, 'ws'), '', '/speech');
    try {
      speaker.send({ type: 'auth', token: organiser.accessToken });
      await speaker.until('authenticated', () => speaker.has('authenticated'));
      await startStream({ speaker, session });
      await speak({ speaker }, speech, { speed: 4 });
      expect(speaker.ofType('transcript').some((frame) => frame['final'] === false)).toBe(true);
    } finally {
      await speaker.close();
    }
    for (const [{ page }, language] of [
      [english, 'en'],
      [german, 'de'],
    ] as const) {
      const lines = page.locator('#captions li');
      await waitUntil(`${language} captions`, async () => (await lines.count()) === SPEECH.length, 15_000);
      expect(await lines.allTextContents()).toEqual(SPEECH.map((sentence) => `[${language}] ${sentence}`));
    }

    // Neither page put a token in a URL: not in the page's address, a fetch, or the WebSocket's.
    const tokens = [...english.tokens, ...german.tokens];
    expect(tokens).toHaveLength(4);
    const urls = [...english.urls, ...german.urls];
    expect(urls.filter((url) => url.endsWith('/chat')).length).toBeGreaterThanOrEqual(4);
    expect(urls.filter((url) => tokens.some((token) => url.includes(token)) || /token/i.test(url))).toEqual(
      [],
    );
  }, 180_000);

  it('lists the organisation’s sessions after sign-in and opens one from the list', async () => {
    const { page } = await openBrowser();
    await page.goto(`${app!.url}/room`);
    expect(await page.locator('#status').textContent()).toContain('Sign in to see your sessions');
    await page.fill('#email', organiser.user.email);
    await page.fill('#password', TEST_PASSWORD);
    await page.click('#sign-in button[type="submit"]');
    const listed = page.locator(`#sessions li[data-session-id="${session.id}"]`);
    await listed.waitFor({ timeout: 15_000 });
    expect(await listed.innerText()).toContain(session.title);
    expect(await listed.innerText()).toContain('live · spoken in ja');
    await listed.locator('a').click();
    await page.waitForURL(`${app!.url}/room/${session.id}`);
    // The sign-in came along in the tab's sessionStorage: the page asks for a language, not a password.
    await page.locator('#language-form').waitFor({ timeout: 15_000 });
    expect(await page.locator('#sign-in').isHidden()).toBe(true);
    expect(await page.locator('#status').textContent()).toContain('Choose the language you read');
  }, 60_000);

  it('serves the page with a content security policy, and refuses a malformed session id with the field named', async () => {
    const page = await fetch(`${app!.url}/room`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const script = await fetch(`${app!.url}/session-page.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    const malformed = await fetch(`${app!.url}/room/not-a-session`);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      statusCode: 400,
      details: [expect.objectContaining({ field: 'sessionId' })],
    });
  });
});

/** Until the emulator holds `count` calls: the translation has reached the provider and waits on the test. */
async function waitForHeld(providers: TranslationProviders, count: number): Promise<void> {
  await waitUntil(`${count} held provider call(s)`, () => providers.google.held >= count, 15_000);
}
