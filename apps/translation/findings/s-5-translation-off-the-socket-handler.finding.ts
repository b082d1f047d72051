import { TokenService } from '@remedy/auth';
import { QUEUE_CONNECTION, REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import type { ConnectionOptions } from 'bullmq';
import { DataSource } from 'typeorm';
import {
  AwaitingJobChatMessageDispatcher,
  InlineTranslatingChatMessageDispatcher,
} from '../katas/s-5-translation-in-the-socket-handler.flawed.js';
import { APP_CONFIG } from '../src/app-config.module.js';
import { ChatMessageDelivery } from '../src/chat/messages/chat-message-delivery.js';
import { ChatMessageDispatcher } from '../src/chat/messages/chat-message-dispatcher.js';
import type { AppConfig } from '../src/config.js';
import { SessionLanguages } from '../src/participants/session-languages.js';
import { ProviderBatcher } from '../src/translation/batching/provider-batcher.js';
import { Translator } from '../src/translation/translator.service.js';
import { ApiClient } from './support/api-client.js';
import { deliveriesOf, openChatRoom, seededViewer } from './support/chat-room.js';
import { ChatTestClient } from './support/chat-test-client.js';
import { startTestApp } from './support/start-test-app.js';
import { startTestWorker } from './support/start-test-worker.js';
import { startTranslationProviders } from './support/translation-providers.js';

/** Three participants, one per language, each on two sockets; each socket sends one message. */
const LANGUAGES = ['en', 'de', 'fr'];
const SOCKETS_PER_PARTICIPANT = 2;
const MESSAGES = LANGUAGES.length * SOCKETS_PER_PARTICIPANT;
/** Each message is wanted in the two languages other than its author's. */
const TEXTS = MESSAGES * (LANGUAGES.length - 1);

const FLAWS = {
  'await the job before acking':
    "ChatMessageDispatcher ← AwaitingJobChatMessageDispatcher: the message is queued for the worker, but the handler waits for the job's result before it answers",
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [
    {
      provide: ChatMessageDispatcher,
      inject: [APP_CONFIG, DataSource, REDIS_CLIENTS, Translator],
      useFactory: (config: AppConfig, dataSource: DataSource, redis: RedisClients, translator: Translator) =>
        new InlineTranslatingChatMessageDispatcher(
          dataSource,
          new ChatMessageDelivery(
            config,
            dataSource,
            redis,
            translator,
            new SessionLanguages(dataSource, redis, config),
          ),
        ),
    },
  ],
  remediated: [],
  'await the job before acking': [
    {
      provide: ChatMessageDispatcher,
      inject: [APP_CONFIG, DataSource, QUEUE_CONNECTION],
      useFactory: (config: AppConfig, dataSource: DataSource, connection: ConnectionOptions) =>
        new AwaitingJobChatMessageDispatcher(dataSource, connection, config.redis.queuePrefix),
    },
  ],
};

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 30_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A WebSocket ping answered by the server's pong: frames on one connection arrive in order, so every frame the
 * server sent before the ping reached it has arrived when the pong does. The pong comes from the ws library,
 * not from the /chat handler, so it answers whatever the handler is waiting on.
 */
function pingPong(client: ChatTestClient): Promise<void> {
  return new Promise((resolve) => {
    client.socket.once('pong', () => resolve());
    client.socket.ping();
  });
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const providers = await startTranslationProviders();
  const settings = {
    ...providers.env,
    // Held calls must outlive the measurement: neither the provider's timeout nor the message's ends them.
    TRANSLATION_TIMEOUT_MS: '60000',
    CHAT_TRANSLATION_TIMEOUT_MS: '60000',
  };
  const app = await startTestApp(ctx, settings, { plugs: PLUGS[run] });
  const worker = await startTestWorker(ctx, settings);
  const wsUrl = app.url.replace(/^http/, 'ws');
  const room = await openChatRoom(
    new ApiClient(app.url),
    wsUrl,
    's5a',
    LANGUAGES,
    seededViewer(ctx.pool, app.app.get(TokenService)),
  );
  // A participant's second socket (another device) joins the same language room.
  const listeners = [
    ...room.members,
    ...(await Promise.all(
      room.members.map(async (member) => ({
        ...member,
        socket: await ChatTestClient.joined(wsUrl, member.user.accessToken, room.session.id),
      })),
    )),
  ];
  const sockets = listeners.map((listener) => listener.socket);
  try {
    const google = providers.google;
    const batchers = [app.app.get(ProviderBatcher), worker.app.get(ProviderBatcher)];
    // The provider answers nothing until every message's translations have reached it or wait in a batcher,
    // wherever they are made: the handler's process (flawed) or the worker's (remediated).
    google.hold();
    sockets.forEach((socket, i) =>
      socket.send({ type: 'message', text: `Question ${i} for the panel`, clientMessageId: `s5a-${i}` }),
    );
    const segmentsReceived = () => google.calls.reduce((sum, call) => sum + call.segments, 0);
    const batched = () => batchers.reduce((sum, batcher) => sum + batcher.waiting, 0);
    await until(
      () => segmentsReceived() + batched() === TEXTS,
      'every translation at the provider or batcher',
    );
    await Promise.all(sockets.map(pingPong));
    const ackedWhileHeld = sockets.reduce((sum, socket) => sum + socket.ofType('pending').length, 0);

    google.release();
    const messageIds = new Set<string>();
    for (const socket of sockets) {
      await socket.until('pending', () => socket.has('pending'));
      messageIds.add(String(socket.ofType('pending')[0]?.['messageId']));
    }
    for (const listener of listeners)
      for (const messageId of messageIds)
        await listener.socket.until('message', () => deliveriesOf(listener.socket, messageId).length > 0);
    // Every socket got every message once, in its participant's language (translated unless the author's).
    const wrong = listeners.flatMap((member) =>
      [...messageIds].filter((messageId) => {
        const frames = deliveriesOf(member.socket, messageId);
        const frame = frames[0];
        return (
          frames.length !== 1 ||
          frame?.['language'] !== member.language ||
          frame['translated'] !== (frame['sourceLanguage'] !== member.language)
        );
      }),
    );
    if (wrong.length > 0)
      throw new Error(`${wrong.length} deliveries missing, repeated or in the wrong language`);
    ctx.log(`${run}: ${ackedWhileHeld} of ${MESSAGES} messages acknowledged while the provider held them`);
    return {
      value: ackedWhileHeld,
      details: {
        'messages sent (one per socket)': MESSAGES,
        'translations held at the provider or batcher': TEXTS,
        'pending acks while held': ackedWhileHeld,
        'Google calls': google.calls.length,
        'deliveries after release (each socket, each message, once)': sockets.length * MESSAGES,
      },
    };
  } finally {
    providers.google.release();
    await Promise.all(sockets.map((socket) => socket.close()));
    await worker.close();
    await app.close();
    await providers.stop();
  }
}

export default defineFinding({
  id: 'polyglot-a:S-5',
  alsoCovers: ['polyglot-b:C-4'],
  title: 'Translation API called in the socket handler: a slow provider stalls the socket',
  explanation:
    'The design translates a chat message inside the WebSocket handler and answers when every language is done, so a ' +
    "slow provider holds the sender's socket: no acknowledgement and no answer to its next command until the " +
    'provider answers (review a asks for a queue, worker processes and a 3 s timeout; review b for a "pending" ' +
    'notification). The remedy stores the message (a resend is the same row), enqueues it after the commit and ' +
    'answers `pending` at once; a worker translates it once per language of the session, each language bounded by ' +
    'CHAT_TRANSLATION_TIMEOUT_MS (the original goes out marked untranslated), and publishes one frame per language ' +
    `room through Redis. Measured on the real gateway and worker: ${MESSAGES} sockets each send one message while ` +
    'the Google emulator holds its answers until every translation has reached it; a WebSocket ping on each socket ' +
    'then fences the frames already sent; the value is the `pending` acks received. The provider is then released ' +
    'and every participant must get every message once, in its language.',
  fix: [
    'src/chat/messages/queueing-chat-message-dispatcher.ts',
    'src/chat/messages/chat-message-worker.ts',
    'src/chat/messages/chat-message-delivery.ts',
    'src/chat/messages/chat-redelivery-sweep.ts',
    'src/worker.ts',
  ],
  difficulty: 2,
  hints: [
    'Hold the provider and see what a socket that just sent a message still hears.',
    'Acknowledging a message needs it stored, not translated.',
    'Store it, enqueue it after the commit, answer pending; let a worker translate and publish to the rooms.',
    'The technique: a work queue off the request path (queue + worker + timeout), with an outbox-like durable row.',
  ],
  seam: 'ChatMessageDispatcher (Nest provider behind the /chat `message` command) ← katas/s-5-translation-in-the-socket-handler.flawed.ts InlineTranslatingChatMessageDispatcher',
  flawsPutBack: FLAWS,
  metric: {
    name: `messages of ${MESSAGES} acknowledged while the provider holds their translations`,
    unit: 'acks',
    better: 'higher',
  },
  measure,
  flawed: (acks) => acks === 0,
  remediated: (acks) => acks === MESSAGES,
  timeoutMs: 120_000,
});
