import { DatabaseAdmin } from '../database/database-admin.js';
import type { TestServers } from '../servers/test-servers.js';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as { remedyTestServers?: TestServers }).remedyTestServers;
  if (!servers) return;
  await new DatabaseAdmin(servers.databaseUrl).dropMatching(`_${servers.runId}`);
  await servers.stop();
}
