import {
  defineFinding,
  describeScans,
  executedScans,
  explainScans,
  type FindingContext,
  type Measurement,
} from '@remedy/testing';
import { buildKeysetSql } from '@remedy/pagination';
import {
  BIGSERIAL_VITAL_DATA_SQL,
  SURROGATE_KEY_ON_PARTITIONS_SQL,
} from '../katas/v-01-bigserial-key.flawed.js';
import { TIME_INDEX_ONLY_SQL } from '../katas/v-02-no-index.flawed.js';
import { VITALS_RANGE_SQL } from '../src/dashboards/dashboard-queries.sql.js';
import { VITALS_PAGES } from '../src/dashboards/dashboard-sorts.js';
import { LATEST_FALLBACK_SQL } from '../src/latest-vitals/latest-vitals.sql.js';
import { medianQueryMs } from './support/median-query-time.js';
import { seedRegistry } from './support/seed-registry.js';

const PATIENTS = 1_000;
const ROWS = 1_000_000;

/** 1,000 readings per patient, 2 minutes apart, ending now: ≈ 33 hours, so the rows span two or three daily partitions. */
const SEED_SQL = `
WITH d AS (SELECT (row_number() OVER (ORDER BY id)) - 1 AS n, id AS device_id, patient_id FROM devices)
INSERT INTO vital_data (patient_id, device_id, recorded_at, seq, heart_rate, spo2, systolic, diastolic, temperature)
SELECT d.patient_id, d.device_id, now() - (g / $2) * interval '2 minutes', g / $2,
       60 + g % 40, 95 + g % 5, 110 + g % 30, 70 + g % 15, 36.6
  FROM generate_series(0, $1 - 1) AS g JOIN d ON d.n = g % $2`;

const FLAWS = {
  'surrogate key on the partitions':
    'the daily partitions kept, keyed by a BIGSERIAL data_id plus recorded_at: no index leads with the patient',
  'time index only': 'the daily partitions kept, no primary key, one index on recorded_at',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

const SCHEMA: Record<Run, string | undefined> = {
  flawed: BIGSERIAL_VITAL_DATA_SQL,
  remediated: undefined,
  'surrogate key on the partitions': SURROGATE_KEY_ON_PARTITIONS_SQL,
  'time index only': TIME_INDEX_ONLY_SQL,
};

/** The dashboards' history query (src/dashboards) for the last hour of one patient, first page. */
function lastHourQuery(patientId: string): { sql: string; parameters: unknown[] } {
  const keyset = buildKeysetSql(
    { ...VITALS_PAGES, scope: { endpoint: 'GET /patients/:id/vitals', filter: { patientId } } },
    { parameterOffset: 3 },
  );
  const to = new Date();
  return {
    sql: VITALS_RANGE_SQL(keyset),
    parameters: [patientId, new Date(to.getTime() - 3_600_000), to, ...keyset.parameters],
  };
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const schema = SCHEMA[run];
  if (schema !== undefined) await ctx.pool.query(schema);
  const { patientIds } = await seedRegistry(ctx.pool, { patients: PATIENTS });
  const started = performance.now();
  await ctx.pool.query(SEED_SQL, [ROWS, PATIENTS]);
  await ctx.pool.query('ANALYZE vital_data');
  ctx.log(
    `${run}: seeded ${ROWS.toLocaleString('en')} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const patientId = patientIds[PATIENTS / 2]!;

  // The service's own statements: the latest-vitals cache-miss read, and the dashboards' history page.
  const latest = await explainScans(ctx.pool, LATEST_FALLBACK_SQL, [[patientId]]);
  const latestScans = (await executedScans(ctx.pool, LATEST_FALLBACK_SQL, [[patientId]])).filter((scan) =>
    scan.relation.startsWith('vital_data'),
  );
  const medianMs = await medianQueryMs(ctx.pool, LATEST_FALLBACK_SQL, [[patientId]]);
  const range = lastHourQuery(patientId);
  const rangeRows = (await explainScans(ctx.pool, range.sql, range.parameters)).rowsExamined;
  const rangeScans = (await executedScans(ctx.pool, range.sql, range.parameters)).filter((scan) =>
    scan.relation.startsWith('vital_data'),
  );
  // Pinned by name: each partition is read through its own primary key, (patient_id, device_id, recorded_at).
  const pinned = [...latestScans, ...rangeScans].every((scan) => scan.index === `${scan.relation}_pkey`);
  if (latest.rowsExamined <= 10 && !pinned)
    throw new Error(
      `few rows read, but not through the primary keys: ${describeScans([...latestScans, ...rangeScans])}`,
    );
  // The fallback's window (now - 2 days, now + 5 minutes] spans three daily partitions, four in the minutes
  // around midnight; never the whole table.
  if (run === 'remediated' && new Set(latestScans.map((scan) => scan.relation)).size > 4)
    throw new Error(`expected the recent partitions only: ${describeScans(latestScans)}`);
  return {
    value: latest.rowsExamined,
    details: {
      plan: describeScans(latestScans),
      "read through each partition's primary key": pinned ? 'yes' : 'no',
      'median ms': Number(medianMs.toFixed(2)),
      'last-hour history page: rows read': rangeRows,
      'last-hour history page: plan': describeScans(rangeScans),
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
    "avoided: the primary key serves both reads. Both variants run the service's own statements on 1M seeded rows; " +
    'only the schema differs.',
  fix: ['src/migrations/1764000000000-initial-schema.ts', 'src/latest-vitals/latest-vitals.sql.ts'],
  metric: {
    name: `rows read for one patient's latest reading (${ROWS.toLocaleString('en')} rows seeded)`,
    unit: 'rows',
    better: 'lower',
  },
  difficulty: 2,
  hints: [
    "'The latest reading of this patient' reads the whole table. What would let the database jump to that patient's newest rows?",
    'The queries filter by patient (and device) and order by recorded_at: an index in that column order answers them with a probe.',
    'A second index costs every one of 5,000 inserts a second: make the primary key itself (patient_id, device_id, recorded_at).',
    'The technique: a composite primary key matching the access path, on a time-partitioned table (partition pruning for time ranges).',
  ],
  seam: "the vital_data schema the migrations build ← the review's BIGSERIAL table (katas/v-01-bigserial-key.flawed.ts) in its place; EXPLAIN ANALYZE of the service's own statements (LATEST_FALLBACK_SQL, the dashboards' VITALS_RANGE_SQL), pinned to each partition's primary key by name",
  flawsPutBack: FLAWS,
  timeoutMs: 240_000,
  measure,
  flawed: (rows) => rows >= ROWS,
  remediated: (rows) => rows <= 10,
});
