import { createInterface } from 'node:readline';
import type { ProviderPlug } from '@remedy/testing';
import { inProcessBroadcastHub, moduleLevelRoomsHub } from '../../katas/v-14-in-process-broadcast.flawed.js';
import { LIVE_HUB_FACTORY } from '../../src/dashboards/live/live-hub.js';
import { startTestApp } from '../support/start-test-app.js';

/** Input of the child, as JSON in argv[2]. */
export interface LiveInstanceJob {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  overrides: Record<string, string>;
  /** Which /live hub the instance runs: the real one, or a kata plugged in at LIVE_HUB_FACTORY. */
  hub: 'real' | 'in-process broadcast' | 'module-level rooms';
}

/** What the child prints as one stdout line once it listens. */
export interface LiveInstanceAddress {
  url: string;
  wsUrl: string;
}

const HUBS: Record<LiveInstanceJob['hub'], ProviderPlug[]> = {
  real: [],
  'in-process broadcast': [{ provide: LIVE_HUB_FACTORY, useValue: inProcessBroadcastHub }],
  'module-level rooms': [{ provide: LIVE_HUB_FACTORY, useValue: moduleLevelRoomsHub }],
};

/**
 * One API instance in its own Node process: it shares only PostgreSQL and Redis with its siblings. It
 * prints its address, then runs until its stdin closes, and shuts down gracefully.
 */
async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as LiveInstanceJob;
  const app = await startTestApp(job, job.overrides, HUBS[job.hub]);
  const address: LiveInstanceAddress = { url: app.url, wsUrl: app.wsUrl };
  process.stdout.write(`${JSON.stringify(address)}\n`);
  const stdin = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => stdin.once('close', resolve));
  await app.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
