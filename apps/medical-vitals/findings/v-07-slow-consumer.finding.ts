import { randomUUID } from 'node:crypto';
import { defineFinding, waitUntil, type FindingContext, type Measurement } from '@remedy/testing';
import { UnboundedPushServer } from '../katas/v-07-unbounded-push.flawed.js';
import { LiveGateway } from '../src/dashboards/live/live.gateway.js';
import { RedisKeys } from '../src/redis/redis-keys.js';
import type { StoredReading } from '../src/storage/stored-reading.js';
import { LiveDashboardClient } from './live-support/live-dashboard-client.js';
import { startTestApp } from './support/start-test-app.js';

const PATIENTS = 200;
const ROUNDS = 200;
const READINGS = PATIENTS * ROUNDS;
const MB = 1024 * 1024;

function reading(wardId: string, patientId: string, round: number): StoredReading {
  return {
    patientId,
    wardId,
    deviceId: patientId,
    seq: round,
    recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, round)).toISOString(),
    heartRate: 60 + (round % 40),
    spo2: 97,
    systolic: 120,
    diastolic: 80,
    temperature: 36.8,
  };
}

async function measure(variant: FindingContext['variant'], ctx: FindingContext): Promise<Measurement> {
  const wardId = randomUUID();
  const patients = Array.from({ length: PATIENTS }, () => randomUUID());
  let bytesPushed = 0;
  if (variant === 'flawed') {
    const server = await UnboundedPushServer.start();
    const dashboard = await LiveDashboardClient.open(server.wsUrl, 'unused', [{ wardId }]);
    try {
      dashboard.stopReading();
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const patientId of patients) {
          const value = reading(wardId, patientId, round);
          bytesPushed += Buffer.byteLength(JSON.stringify({ type: 'reading', ...value }));
          server.push(wardId, value);
        }
      }
      const held = server.heldBytes();
      ctx.log(
        `flawed: ${READINGS} readings pushed to a dashboard that stopped reading; server holds ${(held / MB).toFixed(1)} MB`,
      );
      return {
        value: held / MB,
        details: { readings: READINGS, 'MB pushed': Number((bytesPushed / MB).toFixed(1)) },
      };
    } finally {
      await dashboard.close();
      await server.close();
    }
  }

  const app = await startTestApp(ctx, {
    LIVE_SEND_HIGH_WATER_BYTES: String(256 * 1024),
    LIVE_MAX_PENDING_MESSAGES: '1000',
  });
  try {
    const gateway = app.app.get(LiveGateway);
    const keys = app.app.get(RedisKeys);
    const token = await LiveDashboardClient.issueToken(app.url);
    const dashboard = await LiveDashboardClient.open(app.wsUrl, token, [{ wardId }]);
    dashboard.stopReading();
    const before = gateway.stats();
    // What the batched writer appends after each durable flush: one stream entry per batch of 500.
    for (let round = 0; round < ROUNDS; round += 1) {
      const batch = patients.map((patientId) => reading(wardId, patientId, round));
      for (const value of batch)
        bytesPushed += Buffer.byteLength(JSON.stringify({ type: 'reading', ...value }));
      await ctx.redis.xadd(keys.storedStream, '*', 'readings', JSON.stringify(batch), 'traceparent', '');
    }
    await waitUntil(
      'the push path to hand every reading to the slow socket',
      () => {
        const s = gateway.stats();
        return (
          s.sent +
            s.coalesced +
            s.dropped +
            s.pendingMessages -
            (before.sent + before.coalesced + before.dropped + before.pendingMessages) >=
          READINGS
        );
      },
      60_000,
    );
    const stats = gateway.stats();
    ctx.log(
      `remediated: ${READINGS} readings for a dashboard that stopped reading; server holds ${(stats.heldBytes / MB).toFixed(2)} MB, ${stats.coalesced} coalesced`,
    );
    await dashboard.close();
    return {
      value: stats.heldBytes / MB,
      details: {
        readings: READINGS,
        'MB pushed': Number((bytesPushed / MB).toFixed(1)),
        'coalesced to latest': stats.coalesced - before.coalesced,
        'waiting (≤ one per patient)': stats.pendingMessages,
      },
    };
  } finally {
    await app.close();
  }
}

export default defineFinding({
  id: 'vitals:V-07',
  title: 'Unbounded WebSocket send buffers for a slow dashboard',
  explanation:
    "ws.send() never says no: when a dashboard stops reading, every reading for its ward waits in the server's memory, and a few frozen tabs are enough to exhaust an instance. The remedy sends through a bounded queue per socket (libs/realtime): once the socket holds more than its high-water mark, readings wait in the queue keyed by patient, and a newer reading for the same patient replaces the waiting one. Memory per slow socket is bounded by the high-water mark plus one reading per patient, and the dashboard, when it catches up, gets current values rather than a stale backlog.",
  fix: [
    '../../libs/realtime/src/bounded-send-queue.ts',
    'src/dashboards/live/live.gateway.ts',
    'src/dashboards/live/live-rooms.ts',
  ],
  metric: { name: 'server memory held for one stalled dashboard', unit: 'MB', better: 'lower' },
  measure,
  flawed: (heldMb) => heldMb > 2,
  remediated: (heldMb) => heldMb < 1,
  timeoutMs: 120_000,
});
