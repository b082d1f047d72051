import { startWorkerContext, type ProviderPlug, type TestWorker as WorkerContext } from '@remedy/testing';
import type { AppConfig, ConfigValues } from '../../src/config.js';
import { WorkerModule } from '../../src/worker.module.js';
import { testConfig, type TestServices } from './test-config.js';

export type TestWorker = WorkerContext<AppConfig>;

/**
 * Boots the real WorkerModule (the transcode consumer, the outbox relay, fan-out and batch consumers) on the test
 * context, in this process, with `plugs` in place of the providers they name. Pass the same `overrides` as the
 * app's, so both share the database, Redis prefix and queue settings.
 */
export async function startTestWorker(
  ctx: TestServices,
  overrides: ConfigValues = {},
  plugs: readonly ProviderPlug[] = [],
): Promise<TestWorker> {
  const config = testConfig(ctx, overrides);
  return startWorkerContext(WorkerModule.forRoot(config), config, plugs);
}
