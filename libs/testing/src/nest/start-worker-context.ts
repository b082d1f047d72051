import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { compileWithPlugs, type ProviderPlug } from './compile-with-plugs.js';

/** An app's worker module booted in the test's process, with the config it was built from. */
export interface TestWorker<Config> {
  app: INestApplicationContext;
  config: Config;
  close(): Promise<void>;
}

/**
 * Boots `module` (an app's `WorkerModule.forRoot(config)`: relays, queue consumers, scheduled jobs) as an
 * application context in this process, with `plugs` in place of the providers they name (a proof's seam), and
 * resolves once every provider's start-up hook has run.
 */
export async function startWorkerContext<Config>(
  module: DynamicModule,
  config: Config,
  plugs: readonly ProviderPlug[] = [],
): Promise<TestWorker<Config>> {
  const app = await compileWithPlugs(module, plugs);
  await app.init();
  return { app, config, close: () => app.close() };
}
