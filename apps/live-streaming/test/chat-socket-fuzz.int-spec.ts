import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fuzzSettings, socketFrameArbitrary, useTestContext, type FuzzFrame } from '@remedy/testing';
import { signAccessToken } from '../findings/support/access-tokens.js';
import { CHAT_MESSAGE_SCHEMAS } from '../findings/support/chat-message-schemas.js';
import { ChatTestClient } from '../findings/support/chat-test-client.js';
import { liveStreamingHarness } from '../findings/support/live-streaming-harness.js';
import { seedLiveStreamer } from '../findings/support/seed-live-stream.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';

/**
 * Hostile frames on /chat, generated from its message schemas, sent as the first message and after a valid
 * handshake and join. The server must answer each with documented error frames and close codes, never
 * `internal`, never leave a socket hanging, and stay up.
 */
const ctx = useTestContext(liveStreamingHarness);

/** Cases per scenario (2 scenarios); FUZZ_RUNS_FACTOR scales it. */
const RUNS_PER_SCENARIO = 250;

const ERROR_CODES = new Set([
  'auth-failed',
  'auth-timeout',
  'bad-json',
  'invalid-message',
  'stream-not-live',
  'not-joined',
  'rate-limited',
  'too-many-messages',
]);
/** 1008 authentication, 1009 a frame over the socket's maxPayload (ws closes it). */
const CLOSE_CODES = new Set([1008, 1009]);
// 'notification': a go-live notice (livestream:C1) may reach any signed-in socket at any time.
const REPLY_TYPES = new Set(['joined', 'left', 'message', 'error', 'notification']);

describe('chat socket fuzz (message-schema-driven)', () => {
  let app: TestApp;
  let streamId: string;
  const failures: string[] = [];
  let cases = 0;

  beforeAll(async () => {
    // Valid `send` frames are generated too: the rate limit is not what is under test.
    app = await startTestApp(ctx, { CHAT_MESSAGES_PER_WINDOW: '10000' });
    ({ streamId } = await seedLiveStreamer(ctx.pool, 'fuzz_streamer'));
  });

  afterAll(async () => {
    await app?.close();
  });

  function record(scenario: string, frame: FuzzFrame, problem: string, client: ChatTestClient): void {
    failures.push(
      `${scenario} [${frame.description}] ${problem}; frames ${JSON.stringify(client.frames).slice(0, 200)}, closed ${client.closeCode}`,
    );
  }

  async function first(frame: FuzzFrame): Promise<boolean> {
    cases += 1;
    const client = await ChatTestClient.open(app.wsUrl);
    client.sendRaw(frame.data);
    const closed = await client.closed().catch(() => undefined);
    if (closed === undefined) record('first', frame, 'not closed', client);
    else if (!CLOSE_CODES.has(closed)) record('first', frame, 'undocumented close code', client);
    const codes = client.errorCodes();
    if (codes.some((code) => !ERROR_CODES.has(code))) record('first', frame, 'undocumented error', client);
    if (closed !== 1009 && codes.length === 0)
      record('first', frame, 'closed without an error frame', client);
    await client.close();
    return true;
  }

  async function afterJoin(frame: FuzzFrame): Promise<boolean> {
    cases += 1;
    const client = await ChatTestClient.joined(
      app.wsUrl,
      await signAccessToken(app.config, randomUUID()),
      streamId,
    );
    const seen = client.frames.length;
    client.sendRaw(frame.data);
    // A valid join after the frame: commands are handled in order, so its answer closes the case.
    client.send({ type: 'join', streamId });
    const answered = await client
      .until(
        'the join after the frame',
        () => client.closeCode !== undefined || client.ofType('joined').length > 1,
      )
      .then(() => true)
      .catch(() => false);
    if (!answered) record('after join', frame, 'no answer', client);
    if (client.closeCode !== undefined && !CLOSE_CODES.has(client.closeCode))
      record('after join', frame, 'undocumented close code', client);
    const replies = client.frames.slice(seen);
    if (replies.some((reply) => !REPLY_TYPES.has(String(reply['type']))))
      record('after join', frame, 'unexpected reply type', client);
    if (replies.some((reply) => reply['type'] === 'error' && !ERROR_CODES.has(String(reply['code']))))
      record('after join', frame, 'undocumented error', client);
    await client.close();
    return true;
  }

  it('answers hostile frames with documented errors and close codes, and stays up', async () => {
    const settings = fuzzSettings(RUNS_PER_SCENARIO);
    const frames = socketFrameArbitrary(CHAT_MESSAGE_SCHEMAS);
    for (const run of [first, afterJoin]) {
      await fc.assert(fc.asyncProperty(frames, run), { seed: settings.seed, numRuns: settings.numRuns });
    }
    expect({ seed: settings.seed, failures: failures.slice(0, 20) }).toEqual({
      seed: settings.seed,
      failures: [],
    });
    expect(cases).toBe(2 * settings.numRuns);
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
  }, 600_000);
});
