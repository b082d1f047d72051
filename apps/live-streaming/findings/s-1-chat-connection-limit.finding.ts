import { randomUUID } from 'node:crypto';
import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { signAccessToken } from './support/access-tokens.js';
import type { ChatInstanceJob } from './support/chat-instance-child.js';
import { ChatTestClient } from './support/chat-test-client.js';
import { seedLiveStreamer } from './support/seed-live-stream.js';
import { spawnChatInstance, type ChatInstance } from './support/spawn-chat-instance.js';
import { testConfig } from './support/test-config.js';

/** Sockets instance A admits (CHAT_MAX_CONNECTIONS), and how many more try to connect to it. */
const LIMIT = 20;
const EXTRA = 10;

type Run = 'flawed' | 'remediated' | 'instance-local rooms';

const HUBS: Record<Run, ChatInstanceJob['hub']> = {
  flawed: 'unlimited',
  remediated: 'real',
  'instance-local rooms': 'instance-local rooms',
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const overrides = { CHAT_MAX_CONNECTIONS: String(LIMIT) };
  const config = testConfig(ctx, overrides);
  const closers: Array<() => Promise<void>> = [];
  try {
    const { streamId } = await seedLiveStreamer(ctx.pool, 's1_streamer');
    const job: ChatInstanceJob = {
      databaseUrl: ctx.databaseUrl,
      redisUrl: ctx.redisUrl,
      prefix: ctx.prefix,
      overrides,
      hub: HUBS[run],
    };
    // Two API instances, each in its own Node process, sharing only PostgreSQL and Redis (started together).
    const started = await Promise.allSettled(['A', 'B'].map(() => spawnChatInstance(job)));
    const instances: ChatInstance[] = [];
    for (const result of started) {
      if (result.status === 'fulfilled') {
        closers.push(() => result.value.stop());
        instances.push(result.value);
      }
    }
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw new Error(`an API instance did not start: ${String(failed.reason)}`);
    const [a, b] = instances as [ChatInstance, ChatInstance];
    const viewer = async (wsUrl: string): Promise<ChatTestClient> => {
      const client = await ChatTestClient.joined(
        wsUrl,
        await signAccessToken(config, randomUUID()),
        streamId,
      );
      closers.push(() => client.close());
      return client;
    };

    // Instance A fills up to its limit; then EXTRA more viewers try to connect to it.
    const existing: ChatTestClient[] = [];
    for (let index = 0; index < LIMIT; index += 1) existing.push(await viewer(a.wsUrl));
    const descriptorsAtLimit = a.openFileDescriptors();
    const refusedCodes: number[] = [];
    let acceptedPastLimit = 0;
    for (let index = 0; index < EXTRA; index += 1) {
      const late = await ChatTestClient.open(a.wsUrl);
      closers.push(() => late.close());
      late.send({ type: 'auth', token: await signAccessToken(config, randomUUID()) });
      await late.until(
        'authentication or refusal',
        () => late.has('authenticated') || late.closeCode !== undefined,
      );
      if (late.has('authenticated')) acceptedPastLimit += 1;
      else refusedCodes.push(late.closeCode!);
    }
    const descriptorsAfter = a.openFileDescriptors();

    // The viewers A already served must be unharmed, and the room must span both instances: a line sent on A
    // reaches every viewer on A and the viewer on B. B's viewer then sends a line of its own: Redis delivers a
    // channel's messages in order, so once B's own line is back, A's line has arrived on B if it ever will.
    const onB = await viewer(b.wsUrl);
    const [sender] = existing as [ChatTestClient];
    sender.send({ type: 'send', text: 'hello from A' });
    const heard = (client: ChatTestClient, text: string): boolean =>
      client.ofType('message').some((message) => message['text'] === text);
    for (const client of existing)
      await client.until('the line sent on A', () => heard(client, 'hello from A'));
    onB.send({ type: 'send', text: 'hello from B' });
    await onB.until("B's own line", () => heard(onB, 'hello from B'));
    const harmed = existing.filter((client) => !client.isOpen).length;
    const missedOnB = heard(onB, 'hello from A') ? 0 : 1;

    ctx.log(
      `${run}: ${acceptedPastLimit} of ${EXTRA} sockets accepted past the limit of ${LIMIT} (refused with ${[...new Set(refusedCodes)].join(', ') || 'nothing'}), ` +
        `${harmed} existing harmed, line from A missed on B: ${missedOnB}, A's open fds ${descriptorsAtLimit} → ${descriptorsAfter}`,
    );
    return {
      value: acceptedPastLimit + harmed + missedOnB,
      details: {
        'sockets past the limit of instance A': EXTRA,
        'accepted past the limit': acceptedPastLimit,
        'refused (close code)':
          refusedCodes.length === 0 ? 0 : `${refusedCodes.length} (${[...new Set(refusedCodes)].join(', ')})`,
        'existing sockets on A closed or silent': harmed,
        'line sent on A missed by the viewer on B': missedOnB,
        "instance A's open file descriptors at the limit → after": `${descriptorsAtLimit} → ${descriptorsAfter}`,
        instances: '2 Node processes',
      },
    };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

export default defineFinding({
  id: 'livestream:S1',
  title: 'WebSocket connection limits undefined',
  explanation:
    'The chat service accepted every WebSocket upgrade, so one task takes sockets until its memory or file descriptors ' +
    'run out and then fails every viewer on it, and a plan for spreading chat over tasks was missing. The remedy admits ' +
    'at most CHAT_MAX_CONNECTIONS sockets per instance and closes the next with 1013 "try again later" before it costs ' +
    'more than the handshake (libs/realtime ConnectionLimiter), so the load balancer or the client goes elsewhere; the ' +
    "HPA scales on the chat gateway's websocket_connections gauge; each stream's room is a Redis pub/sub channel, so a " +
    'line sent on one instance reaches viewers on every instance. Measured on two API instances in separate Node ' +
    'processes: 20 viewers fill instance A (limit 20), 10 more try to connect to A, one viewer sits on B; a line sent ' +
    'on A must reach all 20 on A and the viewer on B. The value adds the sockets accepted past the limit, the existing ' +
    'sockets closed or not served, and the line missed on B.',
  fix: [
    'src/chat/chat.gateway.ts',
    'src/chat/chat-hub.ts',
    '../../libs/realtime/src/connection-limiter.ts',
    '../../libs/realtime/src/redis-room-bus.ts',
  ],
  difficulty: 2,
  hints: [
    'Keep connecting to one instance: when does it stop saying yes?',
    'Refuse a socket past a ceiling per instance with a close code a client understands, and leave the others alone.',
    'A viewer connected to another instance must still hear the room: the room cannot live in one process.',
    'The technique: a per-instance connection limiter (close 1013 / 503) and Redis pub/sub rooms across instances.',
  ],
  seam: 'CHAT_HUB_FACTORY (Nest provider: the /chat hub, where sockets are admitted and rooms fan out) ← katas/s-1-unlimited-chat-sockets.flawed.ts unlimitedChatHub, in each of two API processes',
  flawsPutBack: {
    'instance-local rooms':
      'CHAT_HUB_FACTORY ← instanceLocalChatHub: the limit kept, but each process publishes on channels of its own, so a line stays on the instance that took it',
  },
  metric: {
    name: `sockets accepted past a limit of ${LIMIT} (of ${EXTRA} tried) + existing sockets harmed + the line missed on the other instance`,
    unit: 'sockets + lines',
    better: 'lower',
  },
  measure,
  flawed: (value) => value >= EXTRA,
  remediated: (value) => value === 0,
  timeoutMs: 120_000,
});
