import { startWorkerContext, type ProviderPlug, type TestWorker as WorkerContext } from '@remedy/testing';
import type { AppConfig, ConfigValues } from '../../src/config.js';
import { WorkerModule } from '../../src/worker.module.js';
import { testConfig, type TestServices } from './test-config.js';

export type TestWorker = WorkerContext<AppConfig>;

/**
 * Boots the real WorkerModule (search relay and indexer) on the test context, with `plugs` in place of the
 * providers they name (a proof's seam); resolves once the relay and the indexer have started.
 */
export async function startTestWorker(
  ctx: TestServices,
  overrides: ConfigValues = {},
  plugs: readonly ProviderPlug[] = [],
): Promise<TestWorker> {
  const config = testConfig(ctx, overrides);
  return startWorkerContext(WorkerModule.forRoot(config), config, plugs);
}
