import { describe, expect, test } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { Registry } from 'prom-client';
import { PartitionMaintainer, partitionName, registerPartitionMetrics } from '../src/index.js';
import { seedReadings } from '../findings/readings-seed.js';
import { startOfUtcDay } from '../findings/utc-day.js';
import { partitioningHarness } from './support/partitioning-harness.js';
import { newReadingsTable } from './support/readings-table.js';

const ctx = useTestContext(partitioningHarness);

describe('partition metrics', () => {
  test('expose size and estimated rows per partition, read on scrape, and forget dropped partitions', async () => {
    const now = new Date();
    const policy = await newReadingsTable(ctx.pool, { premake: 1, hotRetention: { days: 1 } });
    const maintainer = new PartitionMaintainer(ctx.pool, { now: () => now });
    await maintainer.ensurePartitions(policy, { from: startOfUtcDay(now, -2) });
    await seedReadings(ctx.pool, policy.table, {
      from: startOfUtcDay(now, -2),
      until: startOfUtcDay(now),
      perDay: 500,
    });
    await ctx.pool.query(`ANALYZE ${policy.table}`);
    const registry = new Registry();
    registerPartitionMetrics(registry, ctx.pool, [policy]);
    const oldest = partitionName(policy.table, startOfUtcDay(now, -2));
    const labels = (partition: string) => `{table="${policy.qualifiedName}",partition="${partition}"}`;

    const before = await registry.metrics();
    expect(before).toContain('# TYPE partition_size_bytes gauge');
    expect(before).toContain('# TYPE partition_estimated_rows gauge');
    expect(before).toMatch(new RegExp(`partition_size_bytes${escape(labels(oldest))} [1-9]\\d+`));
    expect(before).toContain(`partition_estimated_rows${labels(oldest)} 500`);
    expect(before).toContain(`partition_estimated_rows${labels(`${policy.table}_default`)} 0`);

    await maintainer.applyRetention(policy);
    const after = await registry.metrics();
    expect(after).not.toContain(labels(oldest));
    expect(after).toContain(labels(partitionName(policy.table, startOfUtcDay(now, 0))));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
