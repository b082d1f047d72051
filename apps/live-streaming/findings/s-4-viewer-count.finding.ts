import { randomUUID } from 'node:crypto';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  IncrPerJoinViewerCounter,
  UnbatchedHyperLogLogViewerCounter,
} from '../katas/s-4-viewer-count-hot-key.flawed.js';
import { ViewerCounter } from '../src/viewers/viewer-counter.js';
import { signAccessToken } from './support/access-tokens.js';
import { ApiClient } from './support/api-client.js';
import { ChatTestClient } from './support/chat-test-client.js';
import { RedisCommandMonitor } from './support/redis-command-monitor.js';
import { seedLiveStreamer } from './support/seed-live-stream.js';
import { startTestApp } from './support/start-test-app.js';

const JOINS = 1_000;
/** Sockets opened at once: a rush of joins, below the listen backlog. */
const CONCURRENCY = 100;
/** The stated error bound of the remedy's count: three standard errors of Redis HyperLogLog (0.81 %). */
const ERROR_BOUND = 0.025;

type Run = 'flawed' | 'remediated' | 'HyperLogLog without batching';

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: ViewerCounter, useClass: IncrPerJoinViewerCounter }],
  remediated: [],
  'HyperLogLog without batching': [{ provide: ViewerCounter, useClass: UnbatchedHyperLogLogViewerCounter }],
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const app = await startTestApp(ctx, {}, { plugs: PLUGS[run] });
  const viewerKeys = `${app.config.redis.keyPrefix}viewers:`;
  const monitor = await RedisCommandMonitor.start(ctx.redisUrl, viewerKeys);
  const sockets: ChatTestClient[] = [];
  try {
    const { streamId } = await seedLiveStreamer(ctx.pool, 's4_streamer');
    const member = await signAccessToken(app.config, randomUUID());
    // 1,000 distinct viewers join the stream's chat, CONCURRENCY at a time.
    for (let start = 0; start < JOINS; start += CONCURRENCY) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, JOINS - start) }, async () =>
          ChatTestClient.joined(app.wsUrl, await signAccessToken(app.config, randomUUID()), streamId),
        ),
      );
      sockets.push(...batch);
    }
    const { viewers } = await new ApiClient(app.url).expect<{ viewers: number }>(
      200,
      'GET',
      `/streams/${streamId}/viewers`,
      undefined,
      member,
    );
    await monitor.settle();
    const commands = monitor.commands;
    const error = Math.abs(viewers - JOINS) / JOINS;
    ctx.log(`${run}: ${JOINS} joins → ${commands} Redis commands on the viewer keys; count ${viewers}`);
    if (error > ERROR_BOUND)
      throw new Error(
        `${run}: count ${viewers} for ${JOINS} viewers is outside the stated ±${ERROR_BOUND * 100} %`,
      );
    return {
      value: commands,
      details: {
        'viewers joined (distinct users, one socket each)': JOINS,
        'Redis commands on the viewer keys (joins + one count read)': commands,
        'count read back': viewers,
        'count error': `${(error * 100).toFixed(2)} % (stated bound ±${ERROR_BOUND * 100} %)`,
      },
    };
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
    await monitor.stop();
    await app.close();
  }
}

export default defineFinding({
  id: 'livestream:S4',
  title: 'Viewer count: one Redis write per join on one hot key',
  explanation:
    "The design incremented one Redis key per stream on every join (and decremented it on leave), so a viral stream's " +
    'joins all queue on one key of one Redis shard, a round trip each, and a viewer whose leave is lost stays counted. ' +
    'The remedy counts viewers by heartbeat: each instance batches the joins and heartbeats it sees for a second and ' +
    'adds them as one PFADD per stream and 30 s bucket (a HyperLogLog of user ids, with a TTL); the count is the ' +
    'union of the current and previous buckets, so a closed tab stops counting within 60 s, and the stated error ' +
    'bound is ±2.5 % (three standard errors of 0.81 %). Measured through the real chat socket: 1,000 distinct viewers ' +
    'join one live stream (100 at a time), then GET /streams/:id/viewers reads the count; MONITOR counts the commands ' +
    'the Redis server ran on the viewer keys. A count outside the bound fails the run.',
  fix: ['src/viewers/viewer-counter.ts', 'src/chat/chat.gateway.ts', 'src/viewers/viewers.controller.ts'],
  difficulty: 2,
  hints: [
    'Count what Redis runs while 1,000 viewers join: one write per join, all on one key.',
    'The count does not need to be exact, and it does not need to be written the instant a viewer arrives.',
    "Gather the instance's joins for a moment and write them at once; a structure that counts distinct ids in 12 KB takes many per command.",
    'The technique: batched heartbeats into a HyperLogLog per stream per time bucket (PFADD / PFCOUNT over buckets).',
  ],
  seam: 'ViewerCounter (Nest provider under the chat gateway and GET /streams/:id/viewers) ← katas/s-4-viewer-count-hot-key.flawed.ts IncrPerJoinViewerCounter',
  flawsPutBack: {
    'HyperLogLog without batching':
      'ViewerCounter ← UnbatchedHyperLogLogViewerCounter: HyperLogLog buckets, but one PFADD per join or heartbeat',
  },
  metric: {
    name: `Redis commands on the viewer keys for ${JOINS} joins and one count read (count within ±${ERROR_BOUND * 100} %)`,
    unit: 'commands',
    better: 'lower',
  },
  measure,
  flawed: (commands) => commands >= JOINS,
  remediated: (commands) => commands <= JOINS / 20,
  timeoutMs: 120_000,
});
