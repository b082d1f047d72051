import type pg from 'pg';
import { QueryCounter } from '@remedy/pooling';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  NeverInvalidatedRuleCache,
  ReplicaReloadingRuleCache,
  UncachedDevices,
  UncachedLatestVitals,
  UncachedRules,
} from '../katas/v-06-uncached-lookups.flawed.js';
import { RuleCache } from '../src/alerts/rule-cache.service.js';
import { LatestVitalsService } from '../src/latest-vitals/latest-vitals.service.js';
import { CacheInvalidationBus } from '../src/redis/cache-invalidation.bus.js';
import { DeviceDirectory } from '../src/registry/devices/device-directory.service.js';
import { DeviceClient, readings } from './support/device-client.js';
import { openReplicatedVitalsDatabase } from './support/replicated-database.js';
import { seedRegistry } from './support/seed-registry.js';
import { signInStaff } from './support/staff-session.js';
import { startTestApp, type TestApp } from './support/start-test-app.js';

const LOOKUPS = 1_000;
/** Rule lookups on each instance once a rule update has been answered (and, on the other, delivered). */
const AFTER_UPDATE = 100;

type Run = 'flawed' | 'remediated' | 'rule cache reloads from the replica' | 'rules never invalidated';

function plugsFor(run: Run): ProviderPlug[] {
  switch (run) {
    case 'flawed':
      return [
        { provide: LatestVitalsService, useClass: UncachedLatestVitals },
        { provide: RuleCache, useClass: UncachedRules },
        { provide: DeviceDirectory, useClass: UncachedDevices },
      ];
    case 'rule cache reloads from the replica':
      return [{ provide: RuleCache, useClass: ReplicaReloadingRuleCache }];
    case 'rules never invalidated':
      return [{ provide: RuleCache, useClass: NeverInvalidatedRuleCache }];
    case 'remediated':
      return [];
  }
}

async function patchRule(
  app: TestApp,
  pool: pg.Pool,
  ruleId: string,
  wardId: string,
  max: number,
): Promise<void> {
  const { headers } = await signInStaff(
    { url: app.url, pool },
    { role: 'ward_admin', hospitalId: await hospitalOf(pool, wardId), wardIds: [wardId] },
  );
  const response = await fetch(`${app.url}/alert-rules/${ruleId}`, {
    method: 'PATCH',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ max }),
  });
  if (response.status !== 200) throw new Error(`PATCH /alert-rules answered ${response.status}`);
}

async function hospitalOf(pool: pg.Pool, wardId: string): Promise<string> {
  const { rows } = await pool.query<{ hospital_id: string }>('SELECT hospital_id FROM wards WHERE id = $1', [
    wardId,
  ]);
  return rows[0]!.hospital_id;
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  // A real streaming replica behind the service, as in production: a reload that reads it after an update
  // can bring back the old rule. Its replay is paused across the update, the lag made explicit.
  const db = await openReplicatedVitalsDatabase(ctx);
  const overrides = {
    DATABASE_URL: db.databaseUrl,
    DATABASE_REPLICA_URL: db.replicaUrl,
    ALERT_EVALUATOR_ENABLED: 'false',
  };
  let first: TestApp | undefined;
  let second: TestApp | undefined;
  try {
    first = await startTestApp(ctx, overrides, plugsFor(run));
    second = await startTestApp(ctx, overrides, plugsFor(run));
    const [device] = (await seedRegistry(db.pool, { patients: 1 })).devices;
    const { rows } = await db.pool.query<{ id: string }>(
      "INSERT INTO alert_rules (patient_id, metric, max) VALUES ($1, 'heart_rate', 120) RETURNING id",
      [device!.patientId],
    );
    const ruleId = rows[0]!.id;
    const client = await DeviceClient.open(first.wsUrl, device!.id, device!.token);
    client.sendReadings(readings(1));
    await client.untilAcked(0);
    client.close();
    await db.replica.waitForCatchUp();

    const latest = first.app.get(LatestVitalsService);
    const rules = first.app.get(RuleCache);
    const devices = first.app.get(DeviceDirectory);
    const { count } = await QueryCounter.count(async () => {
      for (let i = 0; i < LOOKUPS; i += 1) {
        await latest.forPatients([device!.patientId]);
        await rules.rulesFor(device!.patientId, device!.wardId);
        await devices.lookup(device!.id);
      }
    });

    // Staleness: both instances hold the rule; the replica stops replaying; the rule is updated on `first`.
    const otherRules = second.app.get(RuleCache);
    await otherRules.rulesFor(device!.patientId, device!.wardId);
    let delivered!: () => void;
    const deliveredToOther = new Promise<void>((resolve) => (delivered = resolve));
    second.app.get(CacheInvalidationBus).on('rules', () => delivered());
    await db.replica.pauseReplay();
    let stale = 0;
    try {
      await patchRule(first, db.pool, ruleId, device!.wardId, 130);
      // After the other instance's own cache listener, registered first. The review's design has no cache and
      // so publishes nothing: its every lookup reads the primary.
      if (run !== 'flawed') await deliveredToOther;
      for (const cache of [rules, otherRules])
        for (let i = 0; i < AFTER_UPDATE; i += 1) {
          const answer = await cache.rulesFor(device!.patientId, device!.wardId);
          if (Number(answer[0]?.max) !== 130) stale += 1;
        }
    } finally {
      await db.replica.resumeReplay();
    }
    ctx.log(
      `${run}: ${count} queries for ${LOOKUPS} × 3 lookups, ${stale} stale rule answers after the update`,
    );
    return {
      value: count + stale,
      details: {
        'DB queries for the lookups': count,
        'stale rule answers after an update': `${stale} of ${2 * AFTER_UPDATE}`,
        lookups: `${LOOKUPS} × (latest vitals, rules, device)`,
      },
    };
  } finally {
    await first?.close();
    await second?.close();
    await db.close();
  }
}

export default defineFinding({
  id: 'vitals:V-06',
  title: 'No cache for latest vitals, alert rules and device metadata',
  explanation:
    'Latest vitals, alert rules and device metadata are read far more often than they change, and without a cache ' +
    "each read is a query. The remedy keeps each patient's latest reading in Redis (written by the batched writer " +
    'after every flush), and alert rules and device identities in-process; any change to a rule or device is ' +
    'published on Redis pub/sub and every instance drops its copy and reloads from the primary (a lagging replica ' +
    'would bring the old rule back), so a rule update applies to the next reading. The proof runs two instances on ' +
    'a streaming replica, counts the queries behind 1,000 rounds of lookups, then pauses replay, updates a rule ' +
    'and counts the answers on both instances that still carry the old one.',
  fix: [
    'src/latest-vitals/latest-vitals.service.ts',
    'src/alerts/rule-cache.service.ts',
    'src/registry/devices/device-directory.service.ts',
    'src/redis/cache-invalidation.bus.ts',
  ],
  difficulty: 3,
  hints: [
    'Latest vitals, rules and devices are read on every reading and dashboard refresh, and change rarely.',
    "Keep them close: the latest reading per patient in Redis (written by the writer), rules and devices in the process's memory.",
    'An in-process copy must be dropped everywhere when it changes: publish the change on Redis pub/sub and reload from the primary, not a lagging replica.',
    'The techniques: write-through cache for latest values, and in-process caches with pub/sub invalidation reloaded from the primary.',
  ],
  seam: 'LatestVitalsService, RuleCache, DeviceDirectory (Nest providers) ← katas/v-06-uncached-lookups.flawed.ts',
  flawsPutBack: {
    'rule cache reloads from the replica':
      'RuleCache reloads through the DataSource default (the replica) after an invalidation',
    'rules never invalidated': 'RuleCache keeps its rules until the safety TTL; an update drops nothing',
  },
  metric: {
    name: `DB queries for ${LOOKUPS} × 3 lookups + stale rule answers after an update`,
    unit: 'queries + stale answers',
    better: 'lower',
  },
  measure,
  flawed: (value) => value >= LOOKUPS,
  remediated: (value) => value <= 5,
  timeoutMs: 90_000,
});
