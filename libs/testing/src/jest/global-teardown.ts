import type { TestServers } from '../servers/test-servers.js';

/** Stops the run's servers once: a run over several projects calls every project's teardown. */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { remedyTestServers?: TestServers };
  const servers = holder.remedyTestServers;
  if (!servers) return;
  delete holder.remedyTestServers;
  await servers.stop();
}
