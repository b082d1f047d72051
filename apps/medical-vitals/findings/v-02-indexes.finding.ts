import { defineFinding, explainScans, type FindingContext, type Measurement } from '@remedy/testing';
import { KATA_V02_LATEST_SQL, KATA_V02_RANGE_SQL, KATA_V02_SQL } from '../katas/v-02-no-index.flawed.js';
import { LATEST_FALLBACK_SQL } from '../src/latest-vitals/latest-vitals.sql.js';
import { medianQueryMs } from './support/median-query-time.js';
import { seedRegistry } from './support/seed-registry.js';

const PATIENTS = 1_000;
const ROWS = 1_000_000;

/** 1,000 readings per patient, 2 minutes apart, ending now: ≈ 33 hours, so the rows span two or three daily partitions. */
function seedSql(table: string, timeColumn: string): string {
  const extra = table === 'vital_data' ? ', seq' : '';
  const extraValue = table === 'vital_data' ? ', g / $2' : '';
  return `
    WITH d AS (SELECT (row_number() OVER (ORDER BY id)) - 1 AS n, id AS device_id, patient_id FROM devices)
    INSERT INTO ${table} (patient_id, device_id, ${timeColumn}${extra}, heart_rate, spo2, systolic, diastolic, temperature)
    SELECT d.patient_id, d.device_id, now() - (g / $2) * interval '2 minutes'${extraValue},
           60 + g % 40, 95 + g % 5, 110 + g % 30, 70 + g % 15, 36.6
      FROM generate_series(0, $1 - 1) AS g JOIN d ON d.n = g % $2`;
}

async function seed(ctx: FindingContext, table: string, timeColumn: string): Promise<string> {
  const { patientIds } = await seedRegistry(ctx.pool, { patients: PATIENTS });
  const started = performance.now();
  await ctx.pool.query(seedSql(table, timeColumn), [ROWS, PATIENTS]);
  await ctx.pool.query(`ANALYZE ${table}`);
  ctx.log(
    `seeded ${ROWS.toLocaleString('en')} rows into ${table} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return patientIds[PATIENTS / 2]!;
}

/** The shape of the dashboards' history query (src/dashboards): one patient, a bounded time range. */
const RANGE_SQL = `
SELECT device_id, seq, recorded_at, heart_rate, spo2, systolic, diastolic, temperature
  FROM vital_data
 WHERE patient_id = $1 AND recorded_at >= now() - interval '1 hour' AND recorded_at < now()
 ORDER BY recorded_at DESC`;

async function measure(
  ctx: FindingContext,
  latest: string,
  range: string,
  parameters: [unknown, unknown],
): Promise<Measurement> {
  const plan = await explainScans(ctx.pool, latest, [parameters[0]]);
  const medianMs = await medianQueryMs(ctx.pool, latest, [parameters[0]]);
  const rangePlan = await explainScans(ctx.pool, range, [parameters[1]]);
  return {
    value: plan.rowsExamined,
    details: {
      plan: [...new Set(plan.scans)].join(', '),
      'median ms': Number(medianMs.toFixed(2)),
      'last-hour range: rows read': rangePlan.rowsExamined,
      'last-hour range: plan': [...new Set(rangePlan.scans)].join(', '),
    },
  };
}

export default defineFinding({
  id: 'vitals:V-02',
  title: 'No index for latest-per-patient and time-range queries',
  explanation:
    'With only a surrogate key, "the latest reading of this patient" reads every row of the table: 1M rows here, ' +
    '432M a day in production. The remedy makes (patient_id, device_id, recorded_at) the primary key of a daily-' +
    'partitioned table, so the same question is an index probe per recent partition, and the time bound prunes ' +
    'every older partition before the query runs. The cost of a second index on the 5,000 rows/s insert path is ' +
    'avoided: the primary key serves both reads.',
  fix: ['src/migrations/1764000000000-initial-schema.ts', 'src/latest-vitals/latest-vitals.sql.ts'],
  metric: {
    name: `rows read for one patient's latest reading (${ROWS.toLocaleString('en')} rows seeded)`,
    unit: 'rows',
    better: 'lower',
  },
  timeoutMs: 240_000,
  async measure(variant, ctx) {
    if (variant === 'flawed') {
      await ctx.pool.query(KATA_V02_SQL);
      const patientId = await seed(ctx, 'kata_v02_vital_data', 'timestamp');
      const result = await measure(ctx, KATA_V02_LATEST_SQL, KATA_V02_RANGE_SQL, [patientId, patientId]);
      if (!String(result.details?.['plan']).includes('Seq Scan'))
        throw new Error(`expected a Seq Scan: ${result.details?.['plan']}`);
      return result;
    }
    const patientId = await seed(ctx, 'vital_data', 'recorded_at');
    const result = await measure(ctx, LATEST_FALLBACK_SQL, RANGE_SQL, [[patientId], patientId]);
    const scans = String(result.details?.['plan'])
      .split(', ')
      .filter((scan) => scan.includes('vital_data'));
    // The fallback's window (now - 2 days, now + 5 minutes] spans three daily partitions, four in the minutes
    // around midnight; never the whole table.
    if (scans.some((scan) => !/^Index (Only )?Scan/.test(scan)) || scans.length > 4) {
      throw new Error(`expected index scans on the recent partitions only: ${result.details?.['plan']}`);
    }
    return result;
  },
  flawed: (rows) => rows >= ROWS,
  remediated: (rows) => rows <= 10,
});
