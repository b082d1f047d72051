import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../src/config.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

interface CapacityPlan {
  chatMaxConnections: number;
  databasePoolMax: { default: number; overlayInstances: number; overlay: number };
  providerPoolSize: number;
  peakCallsPerSecondPerInstance: number;
  p99LatencyMs: number;
}

/** The JSON block of docs/capacity-translation.md: the numbers the plan's arithmetic arrives at. */
function capacityPlan(): CapacityPlan {
  const page = readFileSync(new URL('../../../docs/capacity-translation.md', import.meta.url), 'utf8');
  const block = /```json capacity-plan\n([\s\S]*?)```/.exec(page);
  if (block?.[1] === undefined) throw new Error('docs/capacity-translation.md has no capacity-plan block');
  return JSON.parse(block[1]) as CapacityPlan;
}

describe('capacity plan (polyglot-b:C-5)', () => {
  const plan = capacityPlan();
  const defaults = parseConfig({ JWT_ACCESS_SECRET: SECRET });

  it('states the per-instance socket limit the config defaults to', () => {
    expect(defaults.chat.maxConnections).toBe(plan.chatMaxConnections);
  });

  it('states the database pool the formula gives by default and under the Kubernetes overlay', () => {
    expect(defaults.database.poolMax).toBe(plan.databasePoolMax.default);
    const manifest = readFileSync(
      new URL('../../../infra/k8s/translation/environment.patch.yaml', import.meta.url),
      'utf8',
    );
    const instances = /name: DB_POOL_INSTANCES\s+value: '(\d+)'/.exec(manifest)?.[1];
    expect(Number(instances)).toBe(plan.databasePoolMax.overlayInstances);
    const overlay = parseConfig({
      JWT_ACCESS_SECRET: SECRET,
      DB_POOL_INSTANCES: String(plan.databasePoolMax.overlayInstances),
    });
    expect(overlay.database.poolMax).toBe(plan.databasePoolMax.overlay);
  });

  it('states the provider pool Little’s law gives for the planned peak', () => {
    expect(defaults.providers.poolSize).toBe(plan.providerPoolSize);
    expect(
      parseConfig({
        JWT_ACCESS_SECRET: SECRET,
        TRANSLATION_PEAK_CALLS_PER_SECOND: String(plan.peakCallsPerSecondPerInstance),
        TRANSLATION_P99_LATENCY_MS: String(plan.p99LatencyMs),
      }).providers.poolSize,
    ).toBe(plan.providerPoolSize);
  });
});
