import type { TestServers } from '../servers/test-servers.js';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as { remedyTestServers?: TestServers }).remedyTestServers;
  if (!servers) return;
  await servers.stop();
}
