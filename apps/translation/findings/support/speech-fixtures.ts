import { oggPages, SpeechToTextEmulator, type ProviderPlug, type SynthesisedSpeech } from '@remedy/testing';
import { ApiClient } from './api-client.js';
import { ChatTestClient, type Frame } from './chat-test-client.js';
import type { SessionBody } from './session-fixtures.js';
import { startTestApp, type TestApp } from './start-test-app.js';
import type { TestServices } from './test-config.js';
import { startTranslationProviders, type TranslationProviders } from './translation-providers.js';

/** The languages the session's listeners read it in (the speaker speaks English). */
export const LISTENER_LANGUAGES = ['de', 'fr'] as const;

export interface SpeechStage {
  app: TestApp;
  providers: TranslationProviders;
  speechToText: SpeechToTextEmulator;
  session: SessionBody;
  /** An authenticated /speech socket of the organiser, not yet started. */
  speaker: ChatTestClient;
  /** One /chat socket per listener language, joined to the session. */
  listeners: Record<(typeof LISTENER_LANGUAGES)[number], ChatTestClient>;
  close(): Promise<void>;
}

/**
 * The real app with its speech-to-text and translation emulators, a live English session with a German and a
 * French listener on /chat, and the organiser's /speech socket authenticated.
 */
export async function startSpeechStage(
  ctx: TestServices,
  { plugs = [], env = {} }: { plugs?: readonly ProviderPlug[]; env?: Record<string, string> } = {},
): Promise<SpeechStage> {
  const providers = await startTranslationProviders();
  const speechToText = await SpeechToTextEmulator.start();
  const app = await startTestApp(
    ctx,
    { ...providers.env, STT_URL: speechToText.url, STT_KEY: speechToText.key, ...env },
    { plugs },
  );
  const wsUrl = app.url.replace(/^http/, 'ws');
  const api = new ApiClient(app.url);
  const organiser = await api.signup('speech_organiser@example.com');
  const created = await api.expect<SessionBody>(
    201,
    'POST',
    '/sessions',
    { title: 'Quarterly review', sourceLanguage: 'en' },
    organiser.accessToken,
  );
  const session = await api.expect<SessionBody>(
    200,
    'POST',
    `/sessions/${created.id}/start`,
    undefined,
    organiser.accessToken,
  );
  const listeners = {} as SpeechStage['listeners'];
  for (const language of LISTENER_LANGUAGES) {
    const viewer = await api.addMember(organiser.accessToken, `speech_${language}@example.com`, 'viewer');
    await api.expect(200, 'POST', `/sessions/${session.id}/participants`, { language }, viewer.accessToken);
    listeners[language] = await ChatTestClient.joined(wsUrl, viewer.accessToken, session.id);
  }
  const speaker = await ChatTestClient.open(wsUrl, '', '/speech');
  speaker.send({ type: 'auth', token: organiser.accessToken });
  await speaker.until('authenticated', () => speaker.has('authenticated'));
  return {
    app,
    providers,
    speechToText,
    session,
    speaker,
    listeners,
    close: async () => {
      await Promise.all([speaker.close(), ...Object.values(listeners).map((listener) => listener.close())]);
      await app.close();
      await Promise.all([providers.stop(), speechToText.stop()]);
    },
  };
}

/** What streaming needs of a stage: the speaker's authenticated /speech socket and the session it speaks in. */
export type SpeakerOf = Pick<SpeechStage, 'speaker' | 'session'>;

/** Starts a stream into the session; resolves once the server said `started`. */
export async function startStream(stage: SpeakerOf): Promise<void> {
  const before = stage.speaker.ofType('started').length;
  stage.speaker.send({ type: 'start', sessionId: stage.session.id });
  await stage.speaker.until('started', () => stage.speaker.ofType('started').length > before);
}

/**
 * Sends the speech one Ogg page per frame, paced like a live speaker at `speed` × real time (each page after
 * the audio before it has been "spoken"), then `end`; resolves once the server said `ended`. `onPage` sees the
 * audio time each page ends at, as it leaves.
 */
export async function speak(
  stage: Pick<SpeechStage, 'speaker'>,
  speech: SynthesisedSpeech,
  { speed = 1, onPage }: { speed?: number; onPage?: (endMs: number) => void } = {},
): Promise<void> {
  const started = performance.now();
  for (const page of oggPages(speech.ogg)) {
    const endMs = Number(page.readBigInt64LE(6)) / 48;
    const dueAt = started + endMs / speed;
    const wait = dueAt - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    stage.speaker.sendRaw(page);
    onPage?.(endMs);
  }
  const before = stage.speaker.ofType('ended').length;
  stage.speaker.send({ type: 'end' });
  await stage.speaker.until('ended', () => stage.speaker.ofType('ended').length > before, 30_000);
}

/** The caption frames a listener received. */
export function captionsOf(listener: ChatTestClient): Frame[] {
  return listener.ofType('caption');
}
