import { childJob, openWebSocketSwarm, tellParent } from '@remedy/testing';
import { signAccessToken } from '../../findings/support/access-tokens.js';
import type { AppConfig } from '../../src/config.js';

/** A slice of the online followers: who they are and which API instance their sockets go to. */
export interface FollowerSwarmJob {
  config: AppConfig;
  wsUrl: string;
  userIds: string[];
}

/** What the swarm saw of one stream's notices. */
export interface StreamNotices {
  type: 'notices';
  /** Followers with at least one notification frame for the stream. */
  reached: number;
  /** Frames beyond the first per follower. */
  duplicates: number;
  /** Epoch ms of the last first frame (Date.now(); the bench runs on one machine). */
  lastArrivalMs: number;
}

/**
 * Online followers in one process: opens a /chat socket per user (first-message auth), reports 'ready' once
 * every socket is authenticated, records when each user's first notice for a stream arrives, and answers a
 * parent's `{ type: 'notices', streamId }` with the tally. It runs until the parent kills it.
 */
async function main(): Promise<void> {
  const job = await childJob<FollowerSwarmJob>();
  const tokens = await Promise.all(job.userIds.map((id) => signAccessToken(job.config, id)));
  const firstArrival = new Map<string, Map<number, number>>();
  const frames = new Map<string, number>();
  let authenticated = 0;
  await openWebSocketSwarm({
    url: `${job.wsUrl}/chat`,
    clients: job.userIds.length,
    concurrency: 100,
    hello: (index) => JSON.stringify({ type: 'auth', token: tokens[index] }),
    onMessage: (index, data) => {
      const frame = JSON.parse(data) as { type: string; streamId?: string };
      if (frame.type === 'authenticated') authenticated += 1;
      if (frame.type !== 'notification' || frame.streamId === undefined) return;
      frames.set(frame.streamId, (frames.get(frame.streamId) ?? 0) + 1);
      let arrivals = firstArrival.get(frame.streamId);
      if (!arrivals) firstArrival.set(frame.streamId, (arrivals = new Map<number, number>()));
      if (!arrivals.has(index)) arrivals.set(index, Date.now());
    },
  });
  while (authenticated < job.userIds.length) await new Promise((resolve) => setTimeout(resolve, 50));
  process.on('message', (message: { type: string; streamId: string }) => {
    if (message.type !== 'notices') return;
    const arrivals = firstArrival.get(message.streamId) ?? new Map<number, number>();
    const reply: StreamNotices = {
      type: 'notices',
      reached: arrivals.size,
      duplicates: (frames.get(message.streamId) ?? 0) - arrivals.size,
      lastArrivalMs: Math.max(0, ...arrivals.values()),
    };
    void tellParent(reply);
  });
  await tellParent({ type: 'ready' });
}

void main();
