import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext, waitUntil } from '@remedy/testing';
import { Queue } from 'bullmq';
import { ApiClient } from '../findings/support/api-client.js';
import { deliveriesOf, openChatRoom, type ChatRoom } from '../findings/support/chat-room.js';
import { ChatTestClient, type Frame } from '../findings/support/chat-test-client.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { startTestWorker, type TestWorker } from '../findings/support/start-test-worker.js';
import { translationHarness } from '../findings/support/translation-harness.js';
import {
  startTranslationProviders,
  type TranslationProviders,
} from '../findings/support/translation-providers.js';
import { CHAT_MESSAGES_QUEUE_NAME } from '../src/chat/messages/chat-message-queue.js';

const ctx = useTestContext(translationHarness);

/**
 * The app and worker settings of this file: the provider's own timeout never ends a held call first, and a
 * message's translation deadline is long: it also times the cold glossary, cache and provider connection of a
 * worker's first message, which the test does not hold. The timeout test runs a worker of its own with 1 s.
 */
const SETTINGS = {
  TRANSLATION_TIMEOUT_MS: '30000',
  CHAT_TRANSLATION_TIMEOUT_MS: '30000',
  CHAT_MAX_MESSAGE_LENGTH: '100',
  // The sweep enqueues every undelivered message at a worker's start (the restart test relies on it).
  CHAT_REDELIVER_AFTER_MS: '0',
};

describe('WebSocket /chat messages', () => {
  let providers: TranslationProviders;
  let app: TestApp;
  let worker: TestWorker;
  let wsUrl: string;
  let api: ApiClient;
  let room: ChatRoom;
  let sequence = 0;

  /** Sends a message from `member` (0: the organiser, in English) and resolves with its `pending` frame. */
  async function send(text: string, member = 0, clientMessageId = `m-${(sequence += 1)}`): Promise<Frame> {
    const socket = room.members[member]!.socket;
    const before = socket.ofType('pending').length;
    socket.send({ type: 'message', text, clientMessageId });
    await socket.until('pending', () => socket.ofType('pending').length > before);
    return socket.ofType('pending').at(-1)!;
  }

  async function deliveredToEveryone(messageId: string): Promise<void> {
    for (const { socket } of room.members)
      await socket.until(`message ${messageId}`, () => deliveriesOf(socket, messageId).length > 0);
  }

  beforeAll(async () => {
    providers = await startTranslationProviders();
    app = await startTestApp(ctx, { ...providers.env, ...SETTINGS });
    worker = await startTestWorker(ctx, { ...providers.env, ...SETTINGS });
    wsUrl = app.url.replace(/^http/, 'ws');
    api = new ApiClient(app.url);
    room = await openChatRoom(api, wsUrl, 'chat_messages', ['en', 'de', 'fr']);
  });

  afterAll(async () => {
    providers.google.release();
    await Promise.all(room.members.map(({ socket }) => socket.close()));
    await worker.close();
    await app.close();
    await providers.stop();
  });

  it('acknowledges at once and delivers the message to every participant in its language, the sender included', async () => {
    const pending = await send('Good morning, everyone');
    expect(pending).toMatchObject({ clientMessageId: `m-${sequence}` });
    const messageId = String(pending['messageId']);
    await deliveredToEveryone(messageId);
    const [en, de, fr] = room.members.map(({ socket }) => deliveriesOf(socket, messageId));
    expect(en).toEqual([
      expect.objectContaining({ language: 'en', text: 'Good morning, everyone', translated: false }),
    ]);
    expect(de).toEqual([
      expect.objectContaining({ language: 'de', text: '[de] Good morning, everyone', translated: true }),
    ]);
    expect(fr).toEqual([expect.objectContaining({ language: 'fr', translated: true, sourceLanguage: 'en' })]);
    // Once per language, not per participant: two languages to translate, two texts sent to the provider.
    const { rows } = await ctx.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM translation_history WHERE source_text = 'Good morning, everyone'`,
    );
    expect(rows[0]?.count).toBe(2);
  });

  it('treats a resend with the same clientMessageId as the same message: one row, one delivery', async () => {
    const first = await send('Are the slides shared?', 1, 'resend-1');
    await deliveredToEveryone(String(first['messageId']));
    const again = await send('Are the slides shared?', 1, 'resend-1');
    expect(again['messageId']).toBe(first['messageId']);
    // A later message delivered means the resend, had it been queued, would have been delivered before it.
    const marker = await send('marker after the resend', 1);
    await deliveredToEveryone(String(marker['messageId']));
    for (const { socket } of room.members)
      expect(deliveriesOf(socket, String(first['messageId']))).toHaveLength(1);
    const { rows } = await ctx.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM chat_messages WHERE client_message_id = 'resend-1'`,
    );
    expect(rows[0]?.count).toBe(1);
  });

  it('answers bad message frames with field-level errors and keeps the socket', async () => {
    const socket = room.members[0]!.socket;
    const frames: Array<[object, string, string]> = [
      [{ type: 'message', text: 'x'.repeat(101), clientMessageId: 'long' }, 'invalid-message', 'text'],
      [{ type: 'message', text: 'nul \u0000 inside', clientMessageId: 'nul' }, 'invalid-message', 'text'],
      [
        { type: 'message', text: 'lone \ud800 surrogate', clientMessageId: 'lone' },
        'invalid-message',
        'text',
      ],
      [{ type: 'message', text: '   ', clientMessageId: 'blank' }, 'invalid-message', 'text'],
      [{ type: 'message', text: 'no id' }, 'invalid-message', 'clientMessageId'],
      [{ type: 'message', text: 'bad id', clientMessageId: 'a b' }, 'invalid-message', 'clientMessageId'],
      [{ type: 'message', text: 'extra', clientMessageId: 'extra', to: 'all' }, 'invalid-message', 'to'],
    ];
    for (const [frame, code, field] of frames) {
      const before = socket.ofType('error').length;
      socket.send(frame);
      await socket.until(code, () => socket.ofType('error').length > before);
      const error = socket.ofType('error').at(-1)!;
      expect(error['code']).toBe(code);
      expect(JSON.stringify(error['details'])).toContain(`"field":"${field}"`);
    }
    expect(socket.isOpen).toBe(true);
    const { rows } = await ctx.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM chat_messages WHERE client_message_id IN ('long', 'nul', 'lone', 'blank', 'a b', 'extra')`,
    );
    expect(rows[0]?.count).toBe(0);
  });

  it('refuses a message from a socket in no session and from a user who left the session', async () => {
    const stranger = await ChatTestClient.joined(wsUrl, room.organiser.accessToken);
    stranger.send({ type: 'message', text: 'hello?', clientMessageId: 'stranger' });
    await stranger.until('not-joined', () => stranger.errorCodes().includes('not-joined'));
    await stranger.close();

    const leaver = await api.addMember(
      room.organiser.accessToken,
      'chat_messages_leaver@example.com',
      'viewer',
    );
    await api.expect(
      200,
      'POST',
      `/sessions/${room.session.id}/participants`,
      { language: 'es' },
      leaver.accessToken,
    );
    const socket = await ChatTestClient.joined(wsUrl, leaver.accessToken, room.session.id);
    await api.expect(
      204,
      'DELETE',
      `/sessions/${room.session.id}/participants/me`,
      undefined,
      leaver.accessToken,
    );
    socket.send({ type: 'message', text: 'still here?', clientMessageId: 'after-leaving' });
    await socket.until('not-a-participant', () => socket.errorCodes().includes('not-a-participant'));
    expect(socket.has('pending')).toBe(false);
    await socket.close();
  });

  it('delivers the original marked untranslated when the provider does not answer within the timeout', async () => {
    await worker.close();
    worker = await startTestWorker(ctx, {
      ...providers.env,
      ...SETTINGS,
      CHAT_TRANSLATION_TIMEOUT_MS: '1000',
    });
    providers.google.hold();
    providers.deepl.hold();
    try {
      const pending = await send('Is anyone translating this?');
      const messageId = String(pending['messageId']);
      await deliveredToEveryone(messageId);
      const de = deliveriesOf(room.members[1]!.socket, messageId);
      expect(de).toEqual([
        expect.objectContaining({
          text: 'Is anyone translating this?',
          translated: false,
          untranslated: 'timeout',
        }),
      ]);
    } finally {
      providers.google.release();
      providers.deepl.release();
    }
  });

  it('loses no acknowledged message when the worker is down and the queue Redis lost its jobs', async () => {
    await worker.close();
    const acked = [await send('sent while no worker runs'), await send('and another one', 2)];
    // The queue's Redis restarted without persistence: every job is gone, the rows are not.
    const queue = new Queue(CHAT_MESSAGES_QUEUE_NAME, {
      connection: { url: ctx.redisUrl },
      prefix: ctx.prefix,
    });
    await queue.obliterate({ force: true });
    await queue.close();
    worker = await startTestWorker(ctx, { ...providers.env, ...SETTINGS });
    for (const pending of acked) {
      const messageId = String(pending['messageId']);
      await deliveredToEveryone(messageId);
      for (const { socket } of room.members) expect(deliveriesOf(socket, messageId)).toHaveLength(1);
    }
    // Delivery is published before the row is marked: wait for the marks, which end each job.
    await waitUntil(
      'every message marked delivered',
      async () => {
        const { rows } = await ctx.pool.query<{ count: number }>(
          'SELECT count(*)::int AS count FROM chat_messages WHERE delivered_at IS NULL',
        );
        return rows[0]?.count === 0;
      },
      10_000,
    );
  });
});
