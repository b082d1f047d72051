import { readFile } from 'node:fs/promises';

const RULES = new URL('../../../../infra/prometheus/rules/medical-vitals.yml', import.meta.url);
const README = new URL('../../README.md', import.meta.url);
const THRESHOLD = /vitals_active_partition_bytes\)? > ([0-9.e]+)/;

/** The active-partition threshold as the alert rule and the README state it (undefined where absent). */
export async function activePartitionThresholds(): Promise<{
  rule: number | undefined;
  readme: number | undefined;
}> {
  const [rules, readme] = await Promise.all([readFile(RULES, 'utf8'), readFile(README, 'utf8')]);
  const rule = THRESHOLD.exec(rules)?.[1];
  const documented = THRESHOLD.exec(readme)?.[1];
  return {
    rule: rule === undefined ? undefined : Number(rule),
    readme: documented === undefined ? undefined : Number(documented),
  };
}
