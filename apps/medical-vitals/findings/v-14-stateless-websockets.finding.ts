import { createPgPool } from '@remedy/pooling';
import { defineFinding, waitUntil, type FindingContext, type Measurement } from '@remedy/testing';
import { InProcessDashboardServer } from '../katas/v-14-in-process-broadcast.flawed.js';
import { LiveDashboardClient } from './live-support/live-dashboard-client.js';
import { DeviceClient, readings } from './support/device-client.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp } from './support/start-test-app.js';

const READINGS = 10;
/** Both instances must verify each other's dashboard tokens. */
const SHARED_SECRET = 'finding-v14-shared-dashboard-secret';

interface Instance {
  wsUrl: string;
  token: string;
  close(): Promise<void>;
}

async function measure(variant: FindingContext['variant'], ctx: FindingContext): Promise<Measurement> {
  const registry = await seedRegistry(ctx.pool, { patients: 1 });
  const device = registry.devices[0]!;
  let a: Instance;
  let b: Instance;
  let ingestOnA: () => Promise<void>;
  const closers: Array<() => Promise<void>> = [];
  try {
    if (variant === 'flawed') {
      const pool = createPgPool({
        name: 'kata-v14',
        connectionString: ctx.databaseUrl,
        max: 4,
        connectionTimeoutMillis: 5_000,
        statementTimeoutMs: 10_000,
        idleInTransactionSessionTimeoutMs: 10_000,
      });
      closers.push(() => pool.end());
      const serverA = await InProcessDashboardServer.start(pool);
      const serverB = await InProcessDashboardServer.start(pool);
      closers.push(
        () => serverA.close(),
        () => serverB.close(),
      );
      a = { wsUrl: serverA.wsUrl, token: 'unused', close: () => serverA.close() };
      b = { wsUrl: serverB.wsUrl, token: 'unused', close: () => serverB.close() };
      ingestOnA = async () => {
        for (const reading of readings(READINGS))
          await serverA.ingest({
            ...reading,
            heartRate: reading.heartRate ?? 70,
            patientId: device.patientId,
            wardId: device.wardId,
            deviceId: device.id,
          });
      };
    } else {
      const appA = await startTestApp(ctx, { DASHBOARD_TOKEN_SECRET: SHARED_SECRET });
      closers.push(() => appA.close());
      const appB = await startTestApp(ctx, { DASHBOARD_TOKEN_SECRET: SHARED_SECRET });
      closers.push(() => appB.close());
      a = {
        wsUrl: appA.wsUrl,
        token: await LiveDashboardClient.issueToken(appA.url),
        close: () => appA.close(),
      };
      b = {
        wsUrl: appB.wsUrl,
        token: await LiveDashboardClient.issueToken(appB.url),
        close: () => appB.close(),
      };
      ingestOnA = async () => {
        const deviceClient = await DeviceClient.open(appA.wsUrl, device.id, device.token);
        deviceClient.sendReadings(readings(READINGS));
        await deviceClient.untilAcked(READINGS - 1);
        deviceClient.close();
      };
    }
    const onA = await LiveDashboardClient.open(a.wsUrl, a.token, [{ wardId: device.wardId }]);
    const onB = await LiveDashboardClient.open(b.wsUrl, b.token, [{ wardId: device.wardId }]);
    closers.push(
      () => onA.close(),
      () => onB.close(),
    );

    await ingestOnA();
    // The dashboard on A is the control: once it has every reading, B has had the same chance.
    await waitUntil(
      'the dashboard on instance A to receive every reading',
      () => onA.ofType('reading').length >= READINGS,
      15_000,
    );
    await waitUntil(
      'the dashboard on instance B to receive every reading',
      () => onB.ofType('reading').length >= READINGS,
      2_000,
    ).catch(() => undefined);
    const onBCount = onB.ofType('reading').length;
    ctx.log(
      `${variant}: ${READINGS} readings ingested on A; dashboard on A got ${onA.ofType('reading').length}, on B ${onBCount}`,
    );
    return {
      value: READINGS - onBCount,
      details: {
        'readings ingested on A': READINGS,
        'received by dashboard on A': onA.ofType('reading').length,
        'received by dashboard on B': onBCount,
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
    'When each WebSocket server tells only its own sockets about a new reading, a second instance behind the load balancer splits the dashboards in two: those on the other instance never see the reading. In the remedy every instance shares one Redis consumer group over the stored stream, and each reading is published once to the ward and patient rooms over Redis pub/sub (libs/realtime); every instance with a dashboard in that room delivers it, so any instance can be added, drained or replaced.',
  fix: [
    'src/dashboards/live/vitals-push.service.ts',
    'src/dashboards/live/live.gateway.ts',
    '../../libs/realtime/src/realtime-hub.ts',
    '../../libs/realtime/src/redis-room-bus.ts',
  ],
  metric: { name: 'readings missed by a dashboard on the other instance', unit: 'readings', better: 'lower' },
  measure,
  flawed: (missed) => missed === READINGS,
  remediated: (missed) => missed === 0,
  timeoutMs: 60_000,
});
