import 'reflect-metadata';
import { runWorkerEntry } from '@remedy/http';
import { loadConfig } from './config.js';
import { WorkerModule } from './worker.module.js';

/**
 * Queue worker entry (same image as the API): createApplicationContext, closed cleanly (exit 0) on
 * SIGTERM/SIGINT after running jobs finish within SHUTDOWN_GRACE_MS. The API applies migrations; the worker
 * expects them applied (start the API first, or run `npm run migrate`).
 */
runWorkerEntry(() => {
  const config = loadConfig();
  return { module: WorkerModule.forRoot(config), shutdownGraceMs: config.http.shutdownGraceMs };
});
