import { createPgPool, queryEvents } from '@remedy/pooling';
import { defineFinding, waitUntil, type FindingContext, type Measurement } from '@remedy/testing';
import { SinglePoolVitalsStore } from '../katas/v-13-reads-on-primary.flawed.js';
import { READER_APPLICATION_NAME, REPORTS_APPLICATION_NAME } from '../src/read-replica/reader-pools.js';
import { DeviceClient, readings } from './support/device-client.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp } from './support/start-test-app.js';

const PRIMARY = 'medical-vitals';
const READ_ROUNDS = 5;

async function measure(variant: FindingContext['variant'], ctx: FindingContext): Promise<Measurement> {
  const registry = await seedRegistry(ctx.pool, { patients: 3 });
  const wardId = registry.wardIds[0]!;
  const patientId = registry.patientIds[0]!;
  const writesByPool = new Map<string, number>();
  const readsByPool = new Map<string, number>();
  let phase: 'write' | 'read' = 'write';
  let lastStatementAt = Date.now();
  const unsubscribe = queryEvents.subscribe((event) => {
    lastStatementAt = Date.now();
    const tally = phase === 'write' ? writesByPool : readsByPool;
    tally.set(event.pool, (tally.get(event.pool) ?? 0) + 1);
  });
  const from = new Date(Date.now() - 3_600_000);
  const to = new Date(Date.now() + 60_000);
  let sessions = '';
  try {
    if (variant === 'flawed') {
      const primary = createPgPool({
        name: PRIMARY,
        connectionString: ctx.databaseUrl,
        max: 4,
        connectionTimeoutMillis: 5_000,
        statementTimeoutMs: 10_000,
        idleInTransactionSessionTimeoutMs: 10_000,
      });
      const store = new SinglePoolVitalsStore(primary);
      try {
        for (const device of registry.devices)
          for (const reading of readings(3))
            await store.store({
              ...reading,
              heartRate: 70,
              patientId: device.patientId,
              deviceId: device.id,
            });
        phase = 'read';
        for (let round = 0; round < READ_ROUNDS; round += 1) {
          await store.latest(patientId);
          await store.range(patientId, from, to);
          await store.wardPatients(wardId);
          await store.report(patientId, from, to);
        }
        sessions = await activeSessions(ctx);
      } finally {
        await primary.end();
      }
    } else {
      // No streaming replica runs here: the replica URL points at the same server, and the pools are
      // told apart by their application_name (medical-vitals vs medical-vitals-reader / -reports).
      const app = await startTestApp(ctx, { DATABASE_REPLICA_URL: ctx.databaseUrl });
      try {
        const devices = await Promise.all(
          registry.devices.map((device) => DeviceClient.open(app.wsUrl, device.id, device.token)),
        );
        devices.forEach((device) => device.sendReadings(readings(3)));
        await Promise.all(devices.map((device) => device.untilAcked(2)));
        devices.forEach((device) => device.close());
        // The write path finishes its own work (alert evaluation, device bookkeeping) before reads start.
        await waitUntil('the write path to go quiet', () => Date.now() - lastStatementAt > 300, 10_000);
        phase = 'read';
        const get = async (path: string): Promise<void> => {
          const response = await fetch(`${app.url}${path}`);
          if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
          await response.arrayBuffer();
        };
        const range = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
        for (let round = 0; round < READ_ROUNDS; round += 1) {
          await get(`/patients/${patientId}/latest`);
          await get(`/patients/${patientId}/vitals?${range}`);
          await get(`/wards/${wardId}/patients`);
          await get(`/dashboard/active-patients?wardId=${wardId}`);
          await get(`/patients/${patientId}/report?period=daily&end=${encodeURIComponent(to.toISOString())}`);
        }
        sessions = await activeSessions(ctx);
      } finally {
        await app.close();
      }
    }
  } finally {
    unsubscribe();
  }
  const readsOnPrimary = readsByPool.get(PRIMARY) ?? 0;
  const readsOnReplica =
    (readsByPool.get(READER_APPLICATION_NAME) ?? 0) + (readsByPool.get(REPORTS_APPLICATION_NAME) ?? 0);
  ctx.log(
    `${variant}: reads on primary ${readsOnPrimary}, on the replica pools ${readsOnReplica}; writes on primary ${writesByPool.get(PRIMARY) ?? 0}`,
  );
  return {
    value: readsOnPrimary,
    details: {
      'read statements on the replica pools': readsOnReplica,
      'write-phase statements on the primary': writesByPool.get(PRIMARY) ?? 0,
      'sessions by application_name': sessions,
    },
  };
}

async function activeSessions(ctx: FindingContext): Promise<string> {
  const { rows } = await ctx.pool.query<{ application_name: string; n: number }>(
    `SELECT application_name, count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND application_name LIKE '${PRIMARY}%' GROUP BY 1 ORDER BY 1`,
  );
  return rows.map((row) => `${row.application_name}×${row.n}`).join(', ');
}

export default defineFinding({
  id: 'vitals:V-13',
  title: 'The read replica is left unused',
  explanation:
    "The design has a read replica but routes nothing to it, so dashboards and reports compete with 5,000 writes/s for the primary's connections, CPU and buffer cache. In the remedy every dashboard read and every report cursor goes through pools built on DATABASE_REPLICA_URL (the primary when none is set): the reader pool for dashboards, a small reports pool with a long statement timeout for cursors. Writes stay on the DataSource's primary. Without a streaming replica on this machine the proof points the replica URL at the same server and tells the connections apart by application_name.",
  fix: [
    'src/read-replica/reader-pools.ts',
    'src/read-replica/read-replica.module.ts',
    'src/dashboards/dashboard-queries.service.ts',
    'src/reports/report.service.ts',
  ],
  metric: { name: 'dashboard and report statements on the primary', unit: 'statements', better: 'lower' },
  measure,
  flawed: (onPrimary) => onPrimary > 0,
  remediated: (onPrimary) => onPrimary === 0,
  timeoutMs: 60_000,
});
