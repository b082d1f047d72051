import { createInterface } from 'node:readline';
import type { ProviderPlug } from '@remedy/testing';
import { instanceLocalChatHub, unlimitedChatHub } from '../../katas/s-1-unlimited-chat-sockets.flawed.js';
import { CHAT_HUB_FACTORY } from '../../src/chat/chat-hub.js';
import { startTestApp } from './start-test-app.js';

/** Input of the child, as JSON in argv[2]. */
export interface ChatInstanceJob {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  overrides: Record<string, string>;
  /** Which chat hub the instance runs: the real one, or a kata plugged in at CHAT_HUB_FACTORY. */
  hub: 'real' | 'unlimited' | 'instance-local rooms';
}

/** What the child prints as one stdout line once it listens. */
export interface ChatInstanceAddress {
  url: string;
  wsUrl: string;
}

const HUBS: Record<ChatInstanceJob['hub'], ProviderPlug[]> = {
  real: [],
  unlimited: [{ provide: CHAT_HUB_FACTORY, useValue: unlimitedChatHub }],
  'instance-local rooms': [{ provide: CHAT_HUB_FACTORY, useValue: instanceLocalChatHub }],
};

/**
 * One API instance in its own Node process: it shares only PostgreSQL and Redis with its siblings. It prints
 * its address, then runs until its stdin closes, and shuts down gracefully.
 */
async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as ChatInstanceJob;
  const app = await startTestApp(job, job.overrides, { plugs: HUBS[job.hub] });
  const address: ChatInstanceAddress = { url: app.url, wsUrl: app.wsUrl };
  process.stdout.write(`${JSON.stringify(address)}\n`);
  const stdin = createInterface({ input: process.stdin });
  // "gc" on stdin: a full collection (the process runs with --expose-gc), answered with a line, so a reading of
  // its memory that follows counts what it holds rather than garbage not yet collected.
  stdin.on('line', (line) => {
    if (line.trim() !== 'gc') return;
    (globalThis as { gc?: () => void }).gc?.();
    process.stdout.write('{"gc":"done"}\n');
  });
  await new Promise<void>((resolve) => stdin.once('close', resolve));
  await app.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
