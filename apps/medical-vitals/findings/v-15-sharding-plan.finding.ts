import { defineFinding, type FindingContext, type Measurement } from '@remedy/testing';
import { capacityDocBlock } from './live-support/capacity-doc.js';

interface ShardingPlan {
  shardKey: string;
  hotTables: string[];
  colocated: Array<{ table: string; distributionColumn: string }>;
  engine: string;
}

async function primaryKey(ctx: FindingContext, table: string): Promise<string[]> {
  const { rows } = await ctx.pool.query<{ column: string }>(
    `SELECT a.attname AS column
       FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary
      ORDER BY array_position(i.indkey, a.attnum)`,
    [table],
  );
  return rows.map((row) => row.column);
}

/** Each breaks the migrated schema the check reads, the way a later migration could. */
const FLAWS = {
  'key without the shard column':
    'vital_data re-keyed by (device_id, recorded_at): patient_id, the shard key, left out of the primary key',
  'sequence-drawn key':
    'vital_data keyed by a BIGSERIAL data_id with recorded_at (the reviewed design on the partitioned table)',
} as const;

const BREAK_SCHEMA: Record<keyof typeof FLAWS, string> = {
  'key without the shard column': `
    ALTER TABLE vital_data DROP CONSTRAINT vital_data_pkey;
    ALTER TABLE vital_data ADD PRIMARY KEY (device_id, recorded_at)`,
  'sequence-drawn key': `
    ALTER TABLE vital_data DROP CONSTRAINT vital_data_pkey;
    ALTER TABLE vital_data ADD COLUMN data_id bigserial;
    ALTER TABLE vital_data ADD PRIMARY KEY (data_id, recorded_at)`,
};

async function measure(run: 'remediated' | keyof typeof FLAWS, ctx: FindingContext): Promise<Measurement> {
  if (run !== 'remediated') await ctx.pool.query(BREAK_SCHEMA[run]);
  const plan = await capacityDocBlock<ShardingPlan>('v-15');
  const problems: string[] = [];
  const details: Record<string, string> = { 'shard key': plan.shardKey, engine: plan.engine };
  for (const table of plan.hotTables) {
    const key = await primaryKey(ctx, table);
    details[`${table} primary key`] = key.join(', ');
    if (!key.includes(plan.shardKey))
      problems.push(`${table}: primary key (${key.join(', ')}) lacks ${plan.shardKey}`);
    const { rows } = await ctx.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = $1::regclass AND pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%'`,
      [table],
    );
    if ((rows[0]?.n ?? 0) > 0) problems.push(`${table}: a column draws from a sequence`);
  }
  for (const { table, distributionColumn } of plan.colocated) {
    const key = await primaryKey(ctx, table);
    details[`${table} primary key`] = key.join(', ');
    if (!key.includes(distributionColumn))
      problems.push(`${table}: primary key (${key.join(', ')}) lacks ${distributionColumn}`);
  }
  for (const problem of problems) ctx.log(`problem: ${problem}`);
  return { value: problems.length, details };
}

export default defineFinding({
  id: 'vitals:V-15',
  title: 'No sharding plan',
  kind: 'design',
  why: "Sharding matters past one server (50,000+ devices); a cluster cannot be run on this machine. The plan is written in docs/capacity-medical-vitals.md, and the proof checks the migrated schema against it: every hot table's primary key carries the shard key and no hot table draws from a sequence, so distributing the tables on Citus needs no schema change.",
  explanation:
    "A schema with a global BIGSERIAL key and no shard key in its hot tables can only grow by a rewrite. The remedy picks patient_id as the shard key (every hot query names one patient), keeps it first in vital_data's primary key, co-locates patients on the same key, and maps the rest onto Citus reference tables.",
  fix: ['src/migrations/1764000000000-initial-schema.ts', '../../docs/capacity-medical-vitals.md'],
  metric: { name: 'hot tables whose key breaks the sharding plan', unit: 'tables', better: 'lower' },
  seam: 'the migrated schema (src/migrations) the check reads; each flaw put back alters vital_data the way a later migration could',
  flawsPutBack: FLAWS,
  measure: (run, ctx) =>
    run === 'flawed' ? Promise.reject(new Error('a design finding has no flawed run')) : measure(run, ctx),
  remediated: (problems) => problems === 0,
  timeoutMs: 30_000,
});
