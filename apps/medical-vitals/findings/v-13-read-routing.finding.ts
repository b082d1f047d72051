import { queryEvents } from '@remedy/pooling';
import {
  defineFinding,
  waitUntil,
  type FindingContext,
  type Measurement,
  type ProviderPlug,
} from '@remedy/testing';
import { readerPoolOnPrimary, reportsPoolOnPrimary } from '../katas/v-13-reads-on-primary.flawed.js';
import { APP_CONFIG, type AppConfig } from '../src/config.js';
import { READER_POOL, REPORTS_POOL } from '../src/read-replica/read-replica.tokens.js';
import { DeviceClient, readings } from './support/device-client.js';
import { openReplicatedVitalsDatabase } from './support/replicated-database.js';
import { seedRegistry } from './support/seed-registry.js';
import { signInNurse } from './support/staff-session.js';
import { ACCESS_CONTROL_SQL } from '../src/auth/access-control.sql.js';
import { startTestApp } from './support/start-test-app.js';

const READ_ROUNDS = 5;

type Run = 'flawed' | 'remediated' | 'reader pool on the primary' | 'reports pool on the primary';

function plugsFor(run: Run): ProviderPlug[] {
  if (run === 'reader pool on the primary')
    return [
      { provide: READER_POOL, inject: [APP_CONFIG], useFactory: (c: AppConfig) => readerPoolOnPrimary(c) },
    ];
  if (run === 'reports pool on the primary')
    return [
      { provide: REPORTS_POOL, inject: [APP_CONFIG], useFactory: (c: AppConfig) => reportsPoolOnPrimary(c) },
    ];
  return [];
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  // A real streaming replica: which server answered is a fact of the connection (pg_is_in_recovery() of the
  // server holding the pool's sessions), not a pool's name.
  const db = await openReplicatedVitalsDatabase(ctx);
  const readsByPool = new Map<string, number>();
  let phase: 'write' | 'read' = 'write';
  let lastStatementAt = Date.now();
  const unsubscribe = queryEvents.subscribe((event) => {
    lastStatementAt = Date.now();
    // Access control reads the primary on purpose (src/auth/access-control.sql.ts); only dashboard and report reads count.
    if (phase === 'read' && !ACCESS_CONTROL_SQL.includes(event.sql))
      readsByPool.set(event.pool, (readsByPool.get(event.pool) ?? 0) + 1);
  });
  const from = new Date(Date.now() - 3_600_000);
  const to = new Date(Date.now() + 60_000);
  let servers = new Map<string, 'primary' | 'replica'>();
  try {
    const registry = await seedRegistry(db.pool, { patients: 3 });
    const wardId = registry.wardIds[0]!;
    const patientId = registry.patientIds[0]!;
    // The review's design (flawed): the replica runs and streams, but nothing is configured to read from it.
    const app = await startTestApp(
      ctx,
      {
        DATABASE_URL: db.databaseUrl,
        ...(run === 'flawed' ? {} : { DATABASE_REPLICA_URL: db.replicaUrl }),
      },
      plugsFor(run),
    );
    try {
      const devices = await Promise.all(
        registry.devices.map((device) => DeviceClient.open(app.wsUrl, device.id, device.token)),
      );
      devices.forEach((device) => device.sendReadings(readings(3)));
      await Promise.all(devices.map((device) => device.untilAcked(2)));
      devices.forEach((device) => device.close());
      // The write path finishes its own work (alert evaluation, device bookkeeping) before reads start.
      await waitUntil('the write path to go quiet', () => Date.now() - lastStatementAt > 300, 10_000);
      await db.replica.waitForCatchUp();
      const { headers } = await signInNurse({ url: app.url, pool: db.pool }, [wardId]);
      phase = 'read';
      const get = async (path: string): Promise<void> => {
        const response = await fetch(`${app.url}${path}`, { headers });
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
      servers = await db.serverByApplication();
    } finally {
      await app.close();
    }
  } finally {
    unsubscribe();
    await db.close();
  }
  let onPrimary = 0;
  let onReplica = 0;
  const byPool: string[] = [];
  for (const [pool, statements] of readsByPool) {
    const server = servers.get(pool) ?? 'primary'; // a pool seen on neither server is not proven to read the replica
    if (server === 'replica') onReplica += statements;
    else onPrimary += statements;
    byPool.push(`${pool}→${server}×${statements}`);
  }
  ctx.log(
    `${run}: read statements answered by the primary ${onPrimary}, by the replica ${onReplica} (${byPool.join(', ')})`,
  );
  return {
    value: onPrimary,
    details: {
      'read statements answered by the replica': onReplica,
      'read statements by pool → server': byPool.join(', '),
    },
  };
}

export default defineFinding({
  id: 'vitals:V-13',
  title: 'The read replica is left unused',
  explanation:
    "The design has a read replica but routes nothing to it, so dashboards and reports compete with 5,000 writes/s for the primary's connections, CPU and buffer cache. In the remedy every dashboard read and every report cursor goes through pools built on DATABASE_REPLICA_URL (the primary when none is set): the reader pool for dashboards, a small reports pool with a long statement timeout for cursors. Writes stay on the DataSource's primary. The proof runs the service against a real streaming replica (pg_basebackup from the primary, hot standby on loopback) and counts the dashboard and report statements by the server that answered them: the one holding the pool's sessions, told apart by pg_is_in_recovery().",
  fix: [
    'src/read-replica/reader-pools.ts',
    'src/read-replica/read-replica.module.ts',
    'src/dashboards/dashboard-queries.service.ts',
    'src/reports/report.service.ts',
  ],
  seam: "DATABASE_REPLICA_URL (flawed: unset while a replica streams, the review's unused replica); READER_POOL / REPORTS_POOL (Nest providers) ← katas/v-13-reads-on-primary.flawed.ts for the flaws put back",
  flawsPutBack: {
    'reader pool on the primary':
      "the dashboards' reader pool built on the primary URL while a replica is configured",
    'reports pool on the primary':
      "the report cursors' pool built on the primary URL while a replica is configured",
  },
  metric: {
    name: 'dashboard and report statements answered by the primary',
    unit: 'statements',
    better: 'lower',
  },
  measure,
  flawed: (onPrimary) => onPrimary > 0,
  remediated: (onPrimary) => onPrimary === 0,
  timeoutMs: 90_000,
});
