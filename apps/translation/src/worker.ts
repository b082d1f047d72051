import 'reflect-metadata';
import { runWorkerEntry } from '@remedy/http';
import { loadConfig } from './config.js';
import { WorkerModule } from './worker.module.js';

/**
 * Queue worker entry (same image as the API, `npm run worker`): translates and delivers chat messages and relays
 * session events (joins and leaves invalidate the cached participant-language map). It runs
 * no migrations (the API does, one process at a time) and closes cleanly (exit 0) on SIGTERM/SIGINT, letting
 * the messages in hand finish.
 */
runWorkerEntry(() => {
  const config = loadConfig();
  return { module: WorkerModule.forRoot(config), shutdownGraceMs: config.http.shutdownGraceMs };
});
