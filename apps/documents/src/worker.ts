import 'reflect-metadata';
import { runWorkerEntry } from '@remedy/http';
import { loadConfig } from './config.js';
import { WorkerModule } from './worker.module.js';

/**
 * Queue worker entry (same image as the API, `npm run worker`): the search relay and indexer. It expects the
 * schema the API migrated; closed cleanly (exit 0) on SIGTERM/SIGINT.
 */
runWorkerEntry(() => {
  const config = loadConfig();
  return { module: WorkerModule.forRoot(config), shutdownGraceMs: config.http.shutdownGraceMs };
});
