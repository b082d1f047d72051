import { startWorkerContext, type ProviderPlug, type TestWorker as WorkerContext } from '@remedy/testing';
import type { AppConfig, ConfigValues } from '../../src/config.js';
import { WorkerModule, type WorkerModuleOptions } from '../../src/worker.module.js';
import { testConfig, type TestServices } from './test-config.js';

export type TestWorker = WorkerContext<AppConfig>;

/**
 * Boots the real WorkerModule (what `npm run worker` runs: the chat message consumer and its sweep) on the test
 * context, with `plugs` in place of the providers they name and its log lines to `options.logDestination`.
 * Resolves once the consumer is connected and the start-up sweep has run.
 */
export async function startTestWorker(
  ctx: TestServices,
  overrides: ConfigValues = {},
  plugs: readonly ProviderPlug[] = [],
  options: WorkerModuleOptions = {},
): Promise<TestWorker> {
  const config = testConfig(ctx, overrides);
  return startWorkerContext(WorkerModule.forRoot(config, options), config, plugs);
}
