import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  oggPages,
  SpeechToTextEmulator,
  synthesiseSpeech,
  type RecognitionResult,
  type SynthesisedSpeech,
} from '@remedy/testing';

interface Answer {
  status: number;
  retryAfter: string | null;
  results: RecognitionResult[];
}

describe('SpeechToTextEmulator', () => {
  let speech: SynthesisedSpeech;
  let stt: SpeechToTextEmulator;
  let headers: Buffer[];
  let audio: Buffer[];

  beforeAll(async () => {
    speech = await synthesiseSpeech(['Good morning everyone.', 'Please open the report.']);
    stt = await SpeechToTextEmulator.start({ latency: { kind: 'fixed', ms: 1 } });
    stt.speak(speech.sentences);
    const pages = oggPages(speech.ogg);
    headers = pages.slice(0, 2);
    audio = pages.slice(2);
  });

  afterAll(async () => {
    await stt.stop();
  });

  /** The header pages and the audio pages ending by `untilMs` (and after `fromMs`): one chunk. */
  const chunk = (fromMs: number, untilMs: number) =>
    Buffer.concat([
      ...headers,
      ...audio.filter((page) => {
        const endMs = Number(page.readBigInt64LE(6)) / 48;
        return endMs > fromMs && endMs <= untilMs;
      }),
    ]);

  const call = async (path: string, body?: Buffer, key = stt.key): Promise<Answer> => {
    const response = await fetch(`${stt.url}/v1/streams/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'audio/ogg; codecs=opus' },
      ...(body === undefined ? {} : { body }),
    });
    const json = (await response.json()) as { results?: RecognitionResult[] };
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      results: json.results ?? [],
    };
  };

  it('reads Ogg Opus chunks by their granule positions: partials while a sentence is spoken, each final once', async () => {
    const firstEnd = speech.sentences[0]?.endMs ?? 0;
    const early = await call('s1:recognize', chunk(0, firstEnd / 2));
    expect(early.status).toBe(200);
    expect(early.results.every((result) => !result.isFinal)).toBe(true);
    // Overlapping chunks past the first sentence's end: its final comes once.
    const past = await call('s1:recognize', chunk(firstEnd / 2 - 200, firstEnd + 300));
    const again = await call('s1:recognize', chunk(firstEnd + 100, firstEnd + 600));
    expect(past.results.filter((result) => result.isFinal).map((result) => result.transcript)).toEqual([
      'Good morning everyone.',
    ]);
    expect(again.results.some((result) => result.isFinal)).toBe(false);
    const finished = await call('s1:finish');
    expect(finished.results).toEqual([
      expect.objectContaining({ transcript: 'Please open the report.', isFinal: true }),
    ]);
    expect(stt.calls.map((record) => record.status)).toEqual([200, 200, 200, 200]);
  });

  it('refuses a wrong key, a body that is not Ogg Opus, and answers injected 5xx and 429 past its rate', async () => {
    expect((await call('s2:recognize', chunk(0, 500), 'wrong')).status).toBe(401);
    expect((await call('s2:recognize', Buffer.from('RIFF....WAVEfmt '))).status).toBe(400);
    stt.failNext(1, 503);
    expect((await call('s2:recognize', chunk(0, 500))).status).toBe(503);
    // Time held still: the third call in the same second is over a limit of two.
    const limitedStt = await SpeechToTextEmulator.start({ requestsPerSecond: 2, clock: () => 0 });
    try {
      const statuses: Array<string | number | null> = [];
      for (let i = 0; i < 3; i += 1) {
        const response = await fetch(`${limitedStt.url}/v1/streams/s3:finish`, {
          method: 'POST',
          headers: { authorization: `Bearer ${limitedStt.key}` },
        });
        await response.body?.cancel();
        statuses.push(response.status, response.headers.get('retry-after'));
      }
      expect(statuses).toEqual([200, null, 200, null, 429, '1']);
    } finally {
      await limitedStt.stop();
    }
  });
});
