import { spawnAppProcess } from '@remedy/testing';
import type { LiveInstanceAddress, LiveInstanceJob } from './live-instance-child.js';

const ENTRY = new URL('./live-instance-child.ts', import.meta.url);

export interface LiveInstance extends LiveInstanceAddress {
  /** Closes the instance's stdin (it shuts down gracefully) and waits for the process to exit. */
  stop(): Promise<void>;
}

/** Starts one API instance in a fresh Node process and resolves once it listens. */
export async function spawnLiveInstance(job: LiveInstanceJob): Promise<LiveInstance> {
  const { app, ready: address } = await spawnAppProcess(ENTRY, {
    name: 'live instance',
    args: [JSON.stringify(job)],
    stdin: 'pipe',
    ready: (starting) => starting.nextJsonLine<LiveInstanceAddress>('{"url"'),
  });
  return { ...address, stop: async () => void (await app.stop()) };
}
