import { createPgPool, QueryCounter } from '@remedy/pooling';
import { defineFinding, waitUntil, type FindingContext, type Measurement } from '@remedy/testing';
import { alertRules, deviceMetadata, latestVitals } from '../katas/v-06-uncached-lookups.flawed.js';
import { RuleCache } from '../src/alerts/rule-cache.service.js';
import { LatestVitalsService } from '../src/latest-vitals/latest-vitals.service.js';
import { DeviceDirectory } from '../src/registry/devices/device-directory.service.js';
import { DeviceClient, readings } from './support/device-client.js';
import { seedRegistry, type SeededDevice } from './support/seed-registry.js';
import { startTestApp, type TestApp } from './support/start-test-app.js';

const LOOKUPS = 1_000;

async function seedRule(ctx: FindingContext, device: SeededDevice): Promise<string> {
  const { rows } = await ctx.pool.query<{ id: string }>(
    "INSERT INTO alert_rules (patient_id, metric, max) VALUES ($1, 'heart_rate', 120) RETURNING id",
    [device.patientId],
  );
  return rows[0]!.id;
}

async function flawed(ctx: FindingContext): Promise<Measurement> {
  const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
  await seedRule(ctx, device!);
  const pool = createPgPool({
    name: 'kata-v06',
    connectionString: ctx.databaseUrl,
    max: 2,
    connectionTimeoutMillis: 5_000,
    statementTimeoutMs: 5_000,
    idleInTransactionSessionTimeoutMs: 10_000,
  });
  try {
    const { count } = await QueryCounter.count(async () => {
      for (let i = 0; i < LOOKUPS; i += 1) {
        await latestVitals(pool, device!.patientId);
        await alertRules(pool, device!.patientId, device!.wardId);
        await deviceMetadata(pool, device!.id);
      }
    });
    return { value: count, details: { lookups: `${LOOKUPS} × (latest vitals, rules, device)` } };
  } finally {
    await pool.end();
  }
}

async function patchRule(app: TestApp, ruleId: string, max: number): Promise<void> {
  const response = await fetch(`${app.url}/alert-rules/${ruleId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ max }),
  });
  if (response.status !== 200) throw new Error(`PATCH /alert-rules answered ${response.status}`);
}

async function remediated(ctx: FindingContext): Promise<Measurement> {
  const first = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false' });
  const second = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false' });
  try {
    const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
    const ruleId = await seedRule(ctx, device!);
    const client = await DeviceClient.open(first.wsUrl, device!.id, device!.token);
    client.sendReadings(readings(1));
    await client.untilAcked(0);
    client.close();

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

    // No stale rule: the instance that took the update answers with it at once, the other one on the pub/sub message.
    const otherRules = second.app.get(RuleCache);
    await otherRules.rulesFor(device!.patientId, device!.wardId);
    await patchRule(first, ruleId, 130);
    const local = await rules.rulesFor(device!.patientId, device!.wardId);
    if (local[0]?.max !== 130) throw new Error(`stale rule on the updating instance: max ${local[0]?.max}`);
    await waitUntil('the other instance to drop its cached rules', async () => {
      return (await otherRules.rulesFor(device!.patientId, device!.wardId))[0]?.max === 130;
    });
    return {
      value: count,
      details: { lookups: `${LOOKUPS} × (latest vitals, rules, device)`, 'stale rule after update': 'none' },
    };
  } finally {
    await first.close();
    await second.close();
  }
}

export default defineFinding({
  id: 'vitals:V-06',
  title: 'No cache for latest vitals, alert rules and device metadata',
  explanation:
    'Latest vitals, alert rules and device metadata are read far more often than they change, and without a cache ' +
    "each read is a query. The remedy keeps each patient's latest reading in Redis (written by the batched writer " +
    'after every flush), and alert rules and device identities in-process; any change to a rule or device is ' +
    'published on Redis pub/sub and every instance drops its copy, so a rule update applies to the next reading.',
  fix: [
    'src/latest-vitals/latest-vitals.service.ts',
    'src/alerts/rule-cache.service.ts',
    'src/registry/devices/device-directory.service.ts',
    'src/redis/cache-invalidation.bus.ts',
  ],
  metric: { name: `DB queries for ${LOOKUPS} × 3 lookups`, unit: 'queries', better: 'lower' },
  measure: (variant, ctx) => (variant === 'flawed' ? flawed(ctx) : remediated(ctx)),
  flawed: (queries) => queries >= LOOKUPS,
  remediated: (queries) => queries <= 5,
});
