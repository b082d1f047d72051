import { spawnAppProcess } from '@remedy/testing';
import type { ChatInstanceAddress, ChatInstanceJob } from './chat-instance-child.js';

const ENTRY = new URL('./chat-instance-child.ts', import.meta.url);

export interface ChatInstance extends ChatInstanceAddress {
  /** File descriptors the instance's process holds open now (sockets among them), from /proc. */
  openFileDescriptors(): number;
  /** The process's resident set size in bytes now (VmRSS in /proc). */
  residentSetBytes(): number;
  /** CPU time (user + system) the process has used so far, in seconds, from /proc. */
  cpuSeconds(): number;
  /** The resident set size right after a full garbage collection in the process: what it holds. */
  residentSetBytesAfterGc(): Promise<number>;
  /** The last few KB the process printed (its error logs), for a report that needs to say what went wrong. */
  output(): string;
  /** Closes the instance's stdin (it shuts down gracefully) and waits for the process to exit. */
  stop(): Promise<void>;
}

/** Starts one API instance in a fresh Node process and resolves once it listens. */
export async function spawnChatInstance(job: ChatInstanceJob): Promise<ChatInstance> {
  const { app, ready: address } = await spawnAppProcess(ENTRY, {
    name: 'chat instance',
    args: [JSON.stringify(job)],
    // "gc" on its stdin runs a full collection, answered with a line.
    execArgv: ['--expose-gc'],
    stdin: 'pipe',
    ready: (starting) => starting.nextJsonLine<ChatInstanceAddress>('{"url"'),
  });
  return {
    ...address,
    openFileDescriptors: () => app.openFileDescriptors(),
    residentSetBytes: () => app.residentSetBytes(),
    cpuSeconds: () => app.cpuSeconds(),
    residentSetBytesAfterGc: async () => {
      const collected = app.nextLine((line) => line === '{"gc":"done"}', 'a full collection');
      app.writeLine('gc');
      await collected;
      return app.residentSetBytes();
    },
    output: () => app.output(),
    stop: async () => void (await app.stop()),
  };
}
