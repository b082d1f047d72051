import 'reflect-metadata';
import { runWorkerEntry } from '@remedy/http';
import { loadConfig } from './config.js';
import { WorkerModule } from './worker.module.js';

/** Queue worker entry (same image as the API): createApplicationContext, closed cleanly (exit 0) on SIGTERM/SIGINT. */
runWorkerEntry(() => {
  const config = loadConfig();
  return { module: WorkerModule.forRoot(config), shutdownGraceMs: config.http.shutdownGraceMs };
});
