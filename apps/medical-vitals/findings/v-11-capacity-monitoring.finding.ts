import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import {
  NoActivePartitionGauges,
  YesterdayPartitionCapacityMetrics,
} from '../katas/v-11-capacity-gauges.flawed.js';
import { PartitionCapacityMetrics } from '../src/lifecycle/partition-capacity.metrics.js';
import { activePartitionThresholds } from './support/capacity-rule.js';
import { seedRegistry } from './support/seed-registry.js';
import { startTestApp, type TestApp } from './support/start-test-app.js';

const SIGNALS = 4;
/** Readings written into today's partition between two scrapes. */
const ROWS = 5_000;
/** A lower bound on what a vital_data row (heap tuple + primary key entry) adds to its partition. */
const MIN_BYTES_PER_ROW = 40;

type Series = [name: string, labels: Record<string, string>];
type Run = 'remediated' | 'active gauge reads the wrong partition' | 'active partition gauges missing';

function plugsFor(run: Run): ProviderPlug[] {
  if (run === 'active gauge reads the wrong partition')
    return [{ provide: PartitionCapacityMetrics, useClass: YesterdayPartitionCapacityMetrics }];
  if (run === 'active partition gauges missing')
    return [{ provide: PartitionCapacityMetrics, useClass: NoActivePartitionGauges }];
  return [];
}

function partitionOf(daysAgo: number): string {
  const day = new Date(Date.now() - daysAgo * 86_400_000);
  return `vital_data_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** Reads one sample from a scrape: the metric `name` whose labels include `labels` (others, e.g. service, ignored). */
async function scrape(
  app: TestApp,
): Promise<(name: string, labels?: Record<string, string>) => number | undefined> {
  const lines = (await (await fetch(`${app.url}/metrics`)).text()).split('\n');
  return (name, labels = {}) => {
    const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
    for (const line of lines) {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? ([0-9.e+-]+)$/.exec(line);
      if (match?.[1] !== name) continue;
      const present = (match[2] ?? '').split(',');
      if (wanted.every((pair) => present.includes(pair))) return Number(match[3]);
    }
    return undefined;
  };
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const app = await startTestApp(ctx, { ALERT_EVALUATOR_ENABLED: 'false' }, plugsFor(run));
  try {
    const [device] = (await seedRegistry(ctx.pool, { patients: 1 })).devices;
    const today = partitionOf(0);
    const yesterday = partitionOf(1);
    const size = (partition: string): Series => ['partition_size_bytes', { partition }];
    const estimate = (partition: string): Series => ['partition_estimated_rows', { partition }];
    const active: Series = ['vitals_active_partition_bytes', {}];
    await ctx.pool.query('ANALYZE vital_data');
    const before = await scrape(app);
    // Known rows into one specific partition: today's, a minute after midnight UTC plus one millisecond each.
    await ctx.pool.query(
      `INSERT INTO vital_data (patient_id, device_id, recorded_at, seq, heart_rate)
       SELECT $1, $2, date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 minute'
                      + i * interval '1 millisecond', i, 70
         FROM generate_series(1, $3::int) AS i`,
      [device!.patientId, device!.id, ROWS],
    );
    await ctx.pool.query('ANALYZE vital_data');
    const after = await scrape(app);
    const grew = (series: Series): number => (after(...series) ?? 0) - (before(...series) ?? 0);
    const minGrowth = ROWS * MIN_BYTES_PER_ROW;
    const { rule, readme } = await activePartitionThresholds();
    const signals = {
      "today's partition series moved by the rows written, yesterday's did not":
        grew(size(today)) >= minGrowth && grew(estimate(today)) === ROWS && grew(size(yesterday)) === 0,
      "vitals_active_partition_bytes moved with today's partition":
        grew(active) >= minGrowth && after(...active) === after(...size(today)),
      'growth rate gauge': after('vitals_active_partition_growth_bytes_per_second') !== undefined,
      'alert rule threshold = README': rule !== undefined && rule === readme,
    };
    return {
      value: Object.values(signals).filter(Boolean).length,
      details: {
        ...Object.fromEntries(Object.entries(signals).map(([name, ok]) => [name, ok ? 'yes' : 'no'])),
        'rows written': ROWS,
        "today's partition bytes grew by": grew(size(today)),
        'vitals_active_partition_bytes grew by': grew(active),
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
    "The proof writes known rows into today's partition between two scrapes of the real /metrics and requires that " +
    "partition's series (and only it) and the active-partition gauge the alert reads to move by them, and the " +
    'Prometheus rule to alert at the threshold the README documents.',
  explanation:
    "Nobody noticed the table growing by 43 GB a day until queries timed out. The service exports every partition's " +
    "size and row estimate, the active partition's size and growth rate, and infra/prometheus/rules/medical-vitals.yml " +
    'alerts when the active partition passes 100 GB or is projected to within the day.',
  fix: ['src/lifecycle/partition-capacity.metrics.ts', '../../infra/prometheus/rules/medical-vitals.yml'],
  seam: 'PartitionCapacityMetrics (Nest provider) ← katas/v-11-capacity-gauges.flawed.ts',
  flawsPutBack: {
    'active gauge reads the wrong partition':
      "vitals_active_partition_bytes and the growth gauge read yesterday's partition (> 0, but not the one filling)",
    'active partition gauges missing':
      'only the per-partition series are exported; the active partition gauges the alert reads are absent',
  },
  metric: {
    name: `capacity signals that move with the data (of ${SIGNALS})`,
    unit: 'signals',
    better: 'higher',
  },
  measure: (run, ctx) => measure(run === 'flawed' ? 'remediated' : run, ctx),
  remediated: (signals) => signals === SIGNALS,
});
