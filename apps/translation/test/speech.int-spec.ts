import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { oggPages, synthesiseSpeech, useTestContext, type SynthesisedSpeech } from '@remedy/testing';
import {
  captionsOf,
  LISTENER_LANGUAGES,
  speak,
  startSpeechStage,
  startStream,
  type SpeechStage,
} from '../findings/support/speech-fixtures.js';
import { translationHarness } from '../findings/support/translation-harness.js';

const ctx = useTestContext(translationHarness);

const SENTENCES = ['The meeting starts now.', 'Please open the quarterly report on page four.'];

describe('WebSocket /speech: speech to captions', () => {
  let stage: SpeechStage;
  let speech: SynthesisedSpeech;

  beforeAll(async () => {
    speech = await synthesiseSpeech(SENTENCES);
    stage = await startSpeechStage(ctx);
    stage.speechToText.speak(speech.sentences);
  });

  afterAll(async () => {
    await stage.close();
  });

  it('captions a synthesised sentence in both listener languages, translating final segments only', async () => {
    await startStream(stage);
    // Four times real time: the pipeline still sees 1 s chunks (it reads the audio's own timestamps).
    await speak(stage, speech, { speed: 4 });
    for (const language of LISTENER_LANGUAGES) {
      const listener = stage.listeners[language];
      await listener.until(`${language} captions`, () => captionsOf(listener).length === SENTENCES.length);
      const captions = captionsOf(listener);
      expect(captions.map((caption) => caption['text'])).toEqual(
        SENTENCES.map((sentence) => `[${language}] ${sentence}`),
      );
      for (const caption of captions)
        expect(caption['latency']).toEqual({
          chunkingMs: expect.any(Number),
          queueMs: expect.any(Number),
          speechToTextMs: expect.any(Number),
          translationMs: expect.any(Number),
          totalMs: expect.any(Number),
        });
    }
    // Partials reached the speaker as transcripts, never the translation provider.
    expect(stage.speaker.ofType('transcript').length).toBeGreaterThan(0);
    const translated = stage.providers.google.calls.reduce((sum, call) => sum + call.segments, 0);
    expect(translated).toBe(SENTENCES.length * LISTENER_LANGUAGES.length);
    expect(stage.speechToText.calls.length).toBeGreaterThan(2);
  });

  it('answers bad frames with an error naming the field and keeps the socket open', async () => {
    const { speaker } = stage;
    const errorsBefore = speaker.errorCodes().length;
    speaker.sendRaw(oggPages(speech.ogg)[0] as Buffer); // audio before start
    await startStream(stage);
    const pages = oggPages(speech.ogg);
    speaker.sendRaw(Buffer.from('not audio at all, just text in a binary frame'));
    speaker.sendRaw(pages[1] as Buffer); // page 1 before page 0
    speaker.sendRaw(Buffer.alloc(20 * 1024, 1)); // over SPEECH_MAX_FRAME_BYTES
    speaker.send('{not json');
    speaker.send({ type: 'start', sessionId: stage.session.id });
    await speaker.until('six errors', () => speaker.errorCodes().length >= errorsBefore + 6);
    expect(speaker.errorCodes().slice(errorsBefore)).toEqual([
      'not-started',
      'bad-frame',
      'out-of-sequence',
      'frame-too-large',
      'bad-json',
      'already-started',
    ]);
    const outOfSequence = speaker.ofType('error').find((frame) => frame['code'] === 'out-of-sequence');
    expect(outOfSequence?.['details']).toEqual([{ field: 'sequence', problems: ['expected 0'] }]);
    expect(speaker.isOpen).toBe(true);
    speaker.send({ type: 'end' });
    await speaker.until('ended', () => speaker.ofType('ended').length === 2);
  });

  it('refuses a stream that is not 16 kHz mono Opus', async () => {
    const stereo = await synthesiseSpeech(['Hello.'], { channels: 2 });
    const { speaker } = stage;
    await startStream(stage);
    speaker.sendRaw(oggPages(stereo.ogg)[0] as Buffer);
    await speaker.until('bad-format', () => speaker.errorCodes().includes('bad-format'));
    expect(speaker.ofType('error').at(-1)?.['details']).toEqual([
      { field: 'channels', problems: ['mono audio only (1 channel)'] },
    ]);
    speaker.send({ type: 'end' });
    await speaker.until('ended', () => speaker.ofType('ended').length === 3);
  });
});
