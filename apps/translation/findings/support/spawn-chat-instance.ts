import { spawnAppProcess } from '@remedy/testing';
import type { ChatInstanceAddress, ChatInstanceJob } from './chat-instance-child.js';

const ENTRY = new URL('./chat-instance-child.ts', import.meta.url);

export interface ChatInstance extends ChatInstanceAddress {
  /** `ws://…` of the same instance. */
  wsUrl: string;
  /** The process's resident set size now (from /proc): a bench divides its growth by the sockets it holds. */
  residentSetBytes(): number;
  /** Sends SIGTERM (the instance drains: its sockets get 1012) and waits for the process to exit. */
  terminate(): Promise<void>;
  /** Closes the instance's stdin (it shuts down gracefully) and waits for the process to exit. */
  stop(): Promise<void>;
}

/** Starts one API instance in a fresh Node process and resolves once it listens. */
export async function spawnChatInstance(job: ChatInstanceJob): Promise<ChatInstance> {
  const { app, ready: address } = await spawnAppProcess(ENTRY, {
    name: 'chat instance',
    args: [JSON.stringify(job)],
    stdin: 'pipe',
    ready: (starting) => starting.nextJsonLine<ChatInstanceAddress>('{"url"'),
  });
  return {
    ...address,
    wsUrl: address.url.replace(/^http/, 'ws'),
    residentSetBytes: () => app.residentSetBytes(),
    terminate: async () => void (await app.terminate()),
    stop: async () => void (await app.stop()),
  };
}
