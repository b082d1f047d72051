import { readFile } from 'node:fs/promises';
import { activePartitionThresholds } from '../findings/support/capacity-rule.js';

test('the active-partition alert fires at the threshold the README documents (100 GB)', async () => {
  const { rule, readme } = await activePartitionThresholds();
  expect(rule).toBe(100e9);
  expect(readme).toBe(rule);
});

test('every alert expression names a metric the service exports', async () => {
  const rules = await readFile(
    new URL('../../../infra/prometheus/rules/medical-vitals.yml', import.meta.url),
    'utf8',
  );
  const exported = [
    'vitals_active_partition_bytes',
    'vitals_active_partition_growth_bytes_per_second',
    'partition_estimated_rows',
    'vitals_write_buffer_rows',
    'vitals_write_flush_duration_seconds_bucket',
    'vitals_notification_breaker_state',
  ];
  const used = [...rules.matchAll(/expr: (.+)/g)].flatMap(
    (match) => match[1]!.match(/\b(vitals|partition)_[a-z_]+/g) ?? [],
  );
  expect(used.length).toBeGreaterThan(0);
  for (const name of used) expect(exported).toContain(name);
});
