import { DatabaseAdmin } from '../database/database-admin.js';
import { startTestServers } from '../servers/test-servers.js';

/**
 * Runs once per jest run, before the workers start: resolves the servers and a run id and publishes them
 * to the environment the workers inherit, so every test file of the run shares one template database.
 */
export default async function globalSetup(): Promise<void> {
  const servers = await startTestServers();
  await new DatabaseAdmin(servers.databaseUrl).dropStale();
  (globalThis as { remedyTestServers?: typeof servers }).remedyTestServers = servers;
}
