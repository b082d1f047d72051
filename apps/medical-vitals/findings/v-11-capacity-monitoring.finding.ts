import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { activePartitionThresholds } from './support/capacity-rule.js';
import { DeviceClient, readings } from './support/device-client.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp } from './support/start-test-app.js';

const SIGNALS = 4;

function todayPartition(): string {
  return `vital_data_p${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
}

async function measure(ctx: FindingContext): Promise<Measurement> {
  const app = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false', DEVICE_RATE_BURST: '100' });
  try {
    const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
    const client = await DeviceClient.open(app.wsUrl, device!.id, device!.token);
    const now = Date.now();
    const midnight = now - (now % 86_400_000);
    client.sendReadings(readings(50, 0, Math.max(midnight, now - 60_000)));
    await client.untilAcked(49);
    client.close();
    await ctx.pool.query('ANALYZE vital_data');
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const sample = (pattern: string): number | undefined => {
      const match = new RegExp(`^${pattern} ([0-9.e+-]+)$`, 'm').exec(text);
      return match ? Number(match[1]) : undefined;
    };
    const { rule, readme } = await activePartitionThresholds();
    const signals = {
      'partition_size_bytes of the active partition':
        (sample(`partition_size_bytes\\{[^}]*partition="${todayPartition()}"[^}]*\\}`) ?? 0) > 0,
      vitals_active_partition_bytes: (sample('vitals_active_partition_bytes(?:\\{[^}]*\\})?') ?? 0) > 0,
      'growth rate gauge':
        sample('vitals_active_partition_growth_bytes_per_second(?:\\{[^}]*\\})?') !== undefined,
      'alert rule threshold = README': rule !== undefined && rule === readme,
    };
    return {
      value: Object.values(signals).filter(Boolean).length,
      details: {
        ...Object.fromEntries(Object.entries(signals).map(([name, ok]) => [name, ok ? 'yes' : 'no'])),
        'threshold bytes': rule ?? 'none',
      },
    };
  } finally {
    await app.close();
  }
}

export default defineFinding({
  id: 'vitals:V-11',
  title: 'No capacity monitoring',
  kind: 'design',
  why:
    'The flaw is an absence (no size metrics, no alert); there is no behaviour of the original design to measure. ' +
    'The proof scrapes the real /metrics for the capacity series and checks that the Prometheus rule alerts at the ' +
    'threshold the README documents.',
  explanation:
    "Nobody noticed the table growing by 43 GB a day until queries timed out. The service exports every partition's " +
    "size and row estimate, the active partition's size and growth rate, and infra/prometheus/rules/medical-vitals.yml " +
    'alerts when the active partition passes 100 GB or is projected to within the day.',
  fix: ['src/lifecycle/partition-capacity.metrics.ts', '../../infra/prometheus/rules/medical-vitals.yml'],
  metric: { name: `capacity signals present (of ${SIGNALS})`, unit: 'signals', better: 'higher' },
  measure: (_variant, ctx) => measure(ctx),
  remediated: (signals) => signals === SIGNALS,
});
