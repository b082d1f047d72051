import {
  defineFinding,
  waitUntil,
  type FindingContext,
  type Measurement,
  type Variant,
} from '@remedy/testing';
import { wardRoom } from '../src/dashboards/live/live-rooms.js';
import type { LiveInstanceJob } from './live-support/live-instance-child.js';
import { LiveDashboardClient } from './live-support/live-dashboard-client.js';
import { spawnLiveInstance, type LiveInstance } from './live-support/spawn-live-instance.js';
import { DeviceClient, readings } from './support/device-client.js';
import { seedRegistry } from './support/seed-registry.js';
import { testConfig } from './support/start-test-app.js';

const READINGS = 10;
/** Both instances must verify each other's dashboard tokens. */
const SHARED_SECRET = 'finding-v14-shared-dashboard-secret';

type Run = Variant | 'module-level rooms';

const HUBS: Record<Run, LiveInstanceJob['hub']> = {
  flawed: 'in-process broadcast',
  remediated: 'real',
  'module-level rooms': 'module-level rooms',
};

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const registry = await seedRegistry(ctx.pool, { patients: 1 });
  const device = registry.devices[0]!;
  const closers: Array<() => Promise<void>> = [];
  try {
    const job: LiveInstanceJob = {
      databaseUrl: ctx.databaseUrl,
      redisUrl: ctx.redisUrl,
      prefix: ctx.prefix,
      overrides: { DASHBOARD_TOKEN_SECRET: SHARED_SECRET },
      hub: HUBS[run],
    };
    // Two API instances, each in its own Node process: they share PostgreSQL and Redis and nothing else. They
    // start side by side (a process's start-up is most of this proof's time); both are stopped if either fails.
    const starts = await Promise.allSettled(
      ['A', 'B'].map((name) =>
        spawnLiveInstance(job).catch((error: unknown) => {
          throw new Error(`instance ${name}: ${String(error)}`);
        }),
      ),
    );
    const instances: LiveInstance[] = [];
    for (const start of starts) {
      if (start.status === 'rejected') continue;
      closers.push(() => start.value.stop());
      instances.push(start.value);
    }
    const failed = starts.find((start): start is PromiseRejectedResult => start.status === 'rejected');
    if (failed) throw failed.reason;
    const [a, b] = instances as [LiveInstance, LiveInstance];
    const onA = await LiveDashboardClient.open(
      a.wsUrl,
      await LiveDashboardClient.issueToken(a.url, ctx.pool, [device.wardId]),
      [{ wardId: device.wardId }],
    );
    closers.push(() => onA.close());
    const onB = await LiveDashboardClient.open(
      b.wsUrl,
      await LiveDashboardClient.issueToken(b.url, ctx.pool, [device.wardId]),
      [{ wardId: device.wardId }],
    );
    closers.push(() => onB.close());

    const deviceClient = await DeviceClient.open(a.wsUrl, device.id, device.token);
    deviceClient.sendReadings(readings(READINGS));
    await deviceClient.untilAcked(READINGS - 1);
    deviceClient.close();

    // Each stored batch is pushed by the instance that stored it (A, the device's). Once
    // every reading has reached at least one dashboard, every room message that was going to cross
    // instances has been PUBLISHed; a marker published after it on the ward's channel reaches each
    // instance's subscriber behind those messages, so a dashboard that has the marker has all it will get.
    const seqs = (client: LiveDashboardClient): Set<unknown> =>
      new Set(client.ofType('reading').map((message) => message['seq']));
    await waitUntil(
      'every reading to reach a dashboard on one instance or the other',
      () => new Set([...seqs(onA), ...seqs(onB)]).size >= READINGS,
      30_000,
    );
    const channel = `${testConfig(ctx).redisKeyPrefix}vitals:live:${wardRoom(device.wardId)}`;
    await ctx.redis.publish(channel, JSON.stringify([[JSON.stringify({ type: 'marker' })]]));
    await onA.until(() => onA.ofType('marker').length > 0);
    await onB.until(() => onB.ofType('marker').length > 0);
    const missedOnA = READINGS - seqs(onA).size;
    const missedOnB = READINGS - seqs(onB).size;
    ctx.log(
      `${run}: ${READINGS} readings ingested on A; missed by the dashboard on A ${missedOnA}, on B ${missedOnB}`,
    );
    return {
      value: missedOnA + missedOnB,
      details: {
        'readings ingested on A': READINGS,
        'missed by the dashboard on A': missedOnA,
        'missed by the dashboard on B': missedOnB,
        instances: '2 Node processes',
      },
    };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

export default defineFinding({
  id: 'vitals:V-14',
  title: 'WebSocket servers keep their state in one process',
  explanation:
    'When each WebSocket server tells only its own sockets about a new reading, a second instance behind the load balancer splits the dashboards in two: those on the other instance never see the reading. In the remedy the instance that stores a batch publishes each reading once to the ward and patient rooms over Redis pub/sub (libs/realtime); every instance with a dashboard in that room delivers it, so any instance can be added, drained or replaced. The proof runs two API instances as separate Node processes sharing only PostgreSQL and Redis, a device on A and a dashboard on each; a stored batch is pushed by the instance that stored it, so a fan-out that stays inside one process loses every reading for the dashboard on the other instance.',
  fix: [
    'src/dashboards/live/vitals-push.service.ts',
    'src/dashboards/live/live.gateway.ts',
    '../../libs/realtime/src/realtime-hub.ts',
    '../../libs/realtime/src/redis-room-bus.ts',
  ],
  metric: {
    name: 'readings missed by the dashboards on two instances (one on each)',
    unit: 'readings',
    better: 'lower',
  },
  difficulty: 3,
  hints: [
    'Two instances, a dashboard on each: the one on the other instance never hears about the reading. Where do your rooms live?',
    "Rooms kept in one process's memory only reach that process's sockets. Fan out through something every instance shares.",
    'Publish each room message on Redis pub/sub; every instance subscribes and delivers to its own sockets in that room.',
    'The technique: stateless WebSocket servers with cross-instance fan-out over Redis pub/sub (libs/realtime).',
  ],
  seam: 'LIVE_HUB_FACTORY (Nest provider: the /live hub, where room messages fan out) ← katas/v-14-in-process-broadcast.flawed.ts inProcessBroadcastHub, in each of two API processes',
  flawsPutBack: {
    'module-level rooms':
      'a fan-out that only delivers within the process: rooms in a module-level map shared by every hub of the process (it would pass with both instances in one process)',
  },
  measure,
  flawed: (missed) => missed >= READINGS,
  remediated: (missed) => missed === 0,
  timeoutMs: 120_000,
});
