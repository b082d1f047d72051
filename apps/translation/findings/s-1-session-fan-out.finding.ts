import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { signAccessToken } from './support/access-tokens.js';
import { ApiClient } from './support/api-client.js';
import type { ChatInstanceJob } from './support/chat-instance-child.js';
import { ChatTestClient } from './support/chat-test-client.js';
import { organiserWithLiveSession } from './support/session-fixtures.js';
import { spawnChatInstance, type ChatInstance } from './support/spawn-chat-instance.js';
import { startTestWorker, type TestWorker } from './support/start-test-worker.js';
import { testConfig } from './support/test-config.js';
import { startTranslationProviders, type TranslationProviders } from './support/translation-providers.js';
import { seedSessionViewers } from './support/viewer-seed.js';

/** Viewers on each of the two instances (the bench takes this to 10,000 in all). */
const VIEWERS_PER_INSTANCE = 100;
/** The burst: messages one speaker sends at once. */
const MESSAGES = 20;
/** Viewers read the session in the speaker's language or in German: both rooms of the session are measured. */
const LANGUAGES = ['en', 'de'];
const OPENED_AT_ONCE = 50;
const DELIVERED_TIMEOUT_MS = 30_000;

const FLAWS = {
  'no frame window':
    'the hub over Redis pub/sub as remediated, CHAT_FRAME_WINDOW_MS=0: every viewer receives a frame per message',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

function instanceJob(run: Run, ctx: FindingContext, providers: TranslationProviders): ChatInstanceJob {
  return {
    databaseUrl: ctx.databaseUrl,
    redisUrl: ctx.redisUrl,
    prefix: ctx.prefix,
    overrides: {
      ...providers.env,
      ...(run === 'no frame window' && { CHAT_FRAME_WINDOW_MS: '0' }),
    },
    registry: 'redis',
    broadcast: run === 'flawed' ? 'one-server loop' : 'pub/sub',
  };
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + DELIVERED_TIMEOUT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The message frames a viewer received for one clientMessageId of the speaker (more than one: a duplicate). */
function copiesOf(socket: ChatTestClient, clientMessageId: string): number {
  return socket.ofType('message').filter((frame) => frame['clientMessageId'] === clientMessageId).length;
}

/** WebSocket frames that carried at least one message of the burst. */
function burstFrames(socket: ChatTestClient): number {
  const frames = new Set<number>();
  socket.frames.forEach((frame, index) => {
    if (frame['type'] === 'message' && String(frame['clientMessageId']).startsWith('burst-'))
      frames.add(socket.wireFrameOf[index] ?? -1);
  });
  return frames.size;
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const providers = await startTranslationProviders();
  const instances: ChatInstance[] = [];
  const sockets: ChatTestClient[] = [];
  let worker: TestWorker | undefined;
  try {
    instances.push(
      ...(await Promise.all([
        spawnChatInstance(instanceJob(run, ctx, providers)),
        spawnChatInstance(instanceJob(run, ctx, providers)),
      ])),
    );
    const [a, b] = instances as [ChatInstance, ChatInstance];
    const api = new ApiClient(a.url);
    const { organiser, session } = await organiserWithLiveSession(api, 's1_organiser@example.com');
    await api.expect(
      200,
      'POST',
      `/sessions/${session.id}/participants`,
      { language: 'en' },
      organiser.accessToken,
    );
    const config = testConfig(ctx);
    const seeded = await seedSessionViewers(
      ctx.pool,
      session,
      2 * VIEWERS_PER_INSTANCE,
      LANGUAGES,
      's1_viewer',
    );

    // The speaker (the organiser) has a socket on each instance; the viewers alternate between the two.
    const speakerOn = {
      a: await ChatTestClient.joined(a.wsUrl, organiser.accessToken, session.id),
      b: await ChatTestClient.joined(b.wsUrl, organiser.accessToken, session.id),
    };
    sockets.push(speakerOn.a, speakerOn.b);
    const viewers: { socket: ChatTestClient; instance: 'a' | 'b' }[] = [];
    for (let start = 0; start < seeded.length; start += OPENED_AT_ONCE) {
      const opened = await Promise.all(
        seeded.slice(start, start + OPENED_AT_ONCE).map(async (viewer, offset) => {
          const instance = (start + offset) % 2 === 0 ? 'a' : 'b';
          const token = await signAccessToken(config, viewer.userId);
          const socket = await ChatTestClient.joined((instance === 'a' ? a : b).wsUrl, token, session.id);
          return { socket, instance } as const;
        }),
      );
      viewers.push(...opened);
      sockets.push(...opened.map((viewer) => viewer.socket));
    }

    // 1. The burst, sent on A while no worker runs: the remediated service stores and queues it, so the worker
    //    started next finds all of it waiting (the review's design delivers each in the handler, before `pending`).
    for (let i = 0; i < MESSAGES; i += 1)
      speakerOn.a.send({ type: 'message', text: `Burst message ${i}`, clientMessageId: `burst-${i}` });
    await speakerOn.a.until(
      'the burst acknowledged',
      () => speakerOn.a.ofType('pending').length === MESSAGES,
    );
    worker = await startTestWorker(ctx, providers.env);
    await until(async () => {
      const { rows } = await ctx.pool.query<{ delivered: number }>(
        'SELECT count(*)::int AS delivered FROM chat_messages WHERE session_id = $1 AND delivered_at IS NOT NULL',
        [session.id],
      );
      return rows[0]?.delivered === MESSAGES;
    }, 'the burst delivered');

    // 2. A marker from each instance, sent after the whole burst went out: one room's messages reach a socket in
    //    publish order, so a viewer that has its own instance's marker has everything of the burst it will get.
    speakerOn.a.send({ type: 'message', text: 'Marker A', clientMessageId: 'marker-a' });
    speakerOn.b.send({ type: 'message', text: 'Marker B', clientMessageId: 'marker-b' });
    await Promise.all(
      viewers.map(({ socket, instance }) =>
        socket.until(
          `marker ${instance}`,
          () => copiesOf(socket, `marker-${instance}`) > 0,
          DELIVERED_TIMEOUT_MS,
        ),
      ),
    );

    let lost = 0;
    let duplicated = 0;
    let framesMany = 0;
    let frames = 0;
    let maxFrames = 0;
    for (const { socket } of viewers) {
      for (let i = 0; i < MESSAGES; i += 1) {
        const copies = copiesOf(socket, `burst-${i}`);
        if (copies === 0) lost += 1;
        if (copies > 1) duplicated += copies - 1;
      }
      const sent = burstFrames(socket);
      frames += sent;
      maxFrames = Math.max(maxFrames, sent);
      // The window's purpose: a burst reaches a viewer in a few frames, not one per message.
      if (sent > MESSAGES / 2) framesMany += 1;
    }
    const lostOnB = viewers
      .filter((viewer) => viewer.instance === 'b')
      .reduce((sum, { socket }) => sum + (copiesOf(socket, 'burst-0') === 0 ? 1 : 0), 0);
    const framesPerViewer = frames / viewers.length;
    ctx.log(
      `${run}: ${lost} of ${viewers.length * MESSAGES} viewer-message copies lost, ${duplicated} duplicated, ` +
        `${framesPerViewer.toFixed(1)} frames per viewer for ${MESSAGES} messages (max ${maxFrames})`,
    );
    return {
      value: lost + duplicated + framesMany,
      details: {
        'viewers (half on each instance)': viewers.length,
        'messages in the burst': MESSAGES,
        'viewer-message copies lost': lost,
        'viewer-message copies duplicated': duplicated,
        'viewers on instance B that missed the first message': lostOnB,
        'frames per viewer carrying the burst (mean)': Number(framesPerViewer.toFixed(2)),
        'frames per viewer carrying the burst (max)': maxFrames,
        [`viewers sent more than ${MESSAGES / 2} frames for the burst`]: framesMany,
      },
    };
  } finally {
    await Promise.all(sockets.map((client) => client.close()));
    await Promise.all(instances.map((instance) => instance.stop()));
    await worker?.close();
    await providers.stop();
  }
}

export default defineFinding({
  id: 'polyglot-a:S-1',
  title: 'One server broadcasts every message to a whole session, a send per socket, with no pub/sub',
  explanation:
    'The design’s translation service sends each translated message to every participant itself: one process, a ' +
    'WebSocket send per participant per message, and no broker, so a second instance cannot share a 10,000-viewer ' +
    'session and every message costs a frame on every socket. The remedy: the worker publishes a message once per ' +
    'language room through Redis; every API instance subscribed to the room hands it to the sockets it holds ' +
    '(encoded once per instance), and room messages reaching an instance within CHAT_FRAME_WINDOW_MS (100 ms) of ' +
    `each other leave as one batch frame per socket. Measured with two app instances in separate processes and ` +
    `${2 * VIEWERS_PER_INSTANCE} viewers alternating between them, in two languages: a speaker on A sends a burst of ` +
    `${MESSAGES} messages; each viewer counts the copies of each message it receives (exactly one is right) and the ` +
    'WebSocket frames that carried them; a marker sent on each instance after the burst went out says when a ' +
    'viewer has everything it will get.',
  fix: [
    'src/chat/messages/chat-message-delivery.ts',
    'src/chat/chat.gateway.ts',
    'src/config.ts',
    '../../libs/realtime/src/realtime-hub.ts',
    '../../libs/realtime/src/room-frame-batcher.ts',
  ],
  difficulty: 2,
  hints: [
    'Half the viewers are connected to the other instance: how does a message the first one handles reach them?',
    'Publish once per room to something every instance listens to, and let each instance serve its own sockets.',
    'A burst of messages costs a frame per message per socket: what if an instance waited a little and sent them together?',
    'The technique: Redis pub/sub fan-out per room across instances, plus a short per-room frame window (batch frames).',
  ],
  seam:
    '/chat hub (CHAT_HUB_FACTORY) and ChatMessageDispatcher (Nest providers) ← katas/s-1-one-server-broadcast.flawed.ts ' +
    'OneServerBroadcastHub with an in-handler dispatcher whose publish is the process’s own loop',
  flawsPutBack: FLAWS,
  metric: {
    name: `viewer-message copies lost or duplicated + viewers sent more than ${MESSAGES / 2} frames for ${MESSAGES} messages`,
    unit: 'faults',
    better: 'lower',
  },
  measure,
  flawed: (faults) => faults >= VIEWERS_PER_INSTANCE * MESSAGES,
  remediated: (faults) => faults === 0,
  timeoutMs: 240_000,
});
