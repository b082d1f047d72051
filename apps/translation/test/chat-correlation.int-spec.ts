import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TokenService } from '@remedy/auth';
import { CORRELATION_KEY } from '@remedy/observability';
import { useTestContext } from '@remedy/testing';
import { Queue } from 'bullmq';
import { ApiClient } from '../findings/support/api-client.js';
import { deliveriesOf, openChatRoom, seededViewer, type ChatRoom } from '../findings/support/chat-room.js';
import { LogCapture } from '../findings/support/log-capture.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { startTestWorker, type TestWorker } from '../findings/support/start-test-worker.js';
import { translationHarness } from '../findings/support/translation-harness.js';
import {
  startTranslationProviders,
  type TranslationProviders,
} from '../findings/support/translation-providers.js';
import { CHAT_MESSAGES_QUEUE_NAME, type ChatMessageJob } from '../src/chat/messages/chat-message-queue.js';

const ctx = useTestContext(translationHarness);

/** polyglot-b:I-3 on the chat path: a socket message's IDs travel in its job to the worker and its provider calls. */
describe('chat message correlation through the queue', () => {
  let providers: TranslationProviders;
  let app: TestApp;
  let worker: TestWorker | undefined;
  let room: ChatRoom;
  const log = new LogCapture();

  beforeAll(async () => {
    providers = await startTranslationProviders();
    app = await startTestApp(ctx, providers.env);
    room = await openChatRoom(
      new ApiClient(app.url),
      app.url.replace(/^http/, 'ws'),
      'correlation',
      ['en', 'de'],
      seededViewer(ctx.pool, app.app.get(TokenService)),
    );
  });

  afterAll(async () => {
    await Promise.all(room.members.map(({ socket }) => socket.close()));
    await worker?.close();
    await app.close();
    await providers.stop();
  });

  it("carries the message's request, user and session IDs to every worker line, the provider call's included", async () => {
    const [author, reader] = room.members;
    author!.socket.send({ type: 'message', text: 'Which line is mine?', clientMessageId: 'correlated-1' });
    await author!.socket.until('pending', () => author!.socket.has('pending'));
    const messageId = String(author!.socket.ofType('pending')[0]?.['messageId']);

    // No worker runs yet: the job waits in the queue with the IDs of the socket message that stored it.
    const queue = new Queue<ChatMessageJob>(CHAT_MESSAGES_QUEUE_NAME, {
      connection: { url: ctx.redisUrl },
      prefix: app.config.redis.queuePrefix,
    });
    const job = await queue.getJob(messageId);
    await queue.close();
    const carried = job?.data[CORRELATION_KEY]?.ids ?? {};
    expect(carried).toMatchObject({ sessionId: room.session.id, userId: room.organiser.user.id });
    const requestId = carried['requestId'];
    expect(typeof requestId).toBe('string');

    // Google fails the call and its retry, so the provider path logs its fallback to DeepL.
    providers.google.failNext(503, 2);
    worker = await startTestWorker(ctx, { ...providers.env, LOG_LEVEL: 'info' }, [], { logDestination: log });
    await reader!.socket.until('message', () => deliveriesOf(reader!.socket, messageId).length > 0);
    expect(deliveriesOf(reader!.socket, messageId)[0]).toMatchObject({ translated: true });

    const fallback = log.lines.filter((line) => line['msg'] === 'falling back to the second engine');
    expect(fallback).toEqual([
      expect.objectContaining({ requestId, sessionId: room.session.id, messageId, from: 'google-v3' }),
    ]);
    const ofMessage = log.lines.filter((line) => line['messageId'] === messageId);
    expect(ofMessage.length).toBeGreaterThan(0);
    for (const line of ofMessage)
      expect(line).toMatchObject({ requestId, sessionId: room.session.id, userId: room.organiser.user.id });
  });
});
