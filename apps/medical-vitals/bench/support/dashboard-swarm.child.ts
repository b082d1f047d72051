import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { childJob, nextParentMessage, tellParent } from '@remedy/testing';

export interface DashboardSwarmJob {
  wsUrl: string;
  token: string;
  /** Wards per dashboard: dashboard i subscribes to wardsByDashboard[i]. */
  wardsByDashboard: string[][];
}

export interface DashboardSwarmResult {
  dashboards: number;
  readings: number;
  alerts: number;
  latenciesMs: number[];
  /** When each sampled latency was measured (epoch ms), in step with latenciesMs. */
  sampledAt: number[];
  /**
   * This process's own event-loop delay while the devices ran: a reading that waits here for its turn counts
   * as late too, so a tail that is the measurer's shows up here and nowhere in the server.
   */
  eventLoopDelayMaxMs: number;
  eventLoopDelayP99Ms: number;
}

const job = await childJob<DashboardSwarmJob>();
const result: DashboardSwarmResult = {
  dashboards: job.wardsByDashboard.length,
  readings: 0,
  alerts: 0,
  latenciesMs: [],
  sampledAt: [],
  eventLoopDelayMaxMs: 0,
  eventLoopDelayP99Ms: 0,
};
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

function open(wardIds: string[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${job.wsUrl}/live`);
    let subscribed = 0;
    socket.once('error', reject);
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { type: string; recordedAt?: string };
      if (message.type === 'reading') {
        result.readings += 1;
        // Sampled: every 10th reading is enough for the percentiles and keeps the array small.
        if (result.readings % 10 === 0 && message.recordedAt) {
          const now = Date.now();
          result.latenciesMs.push(now - Date.parse(message.recordedAt));
          result.sampledAt.push(now);
        }
      } else if (message.type === 'alert') result.alerts += 1;
      else if (message.type === 'authenticated')
        for (const wardId of wardIds) socket.send(JSON.stringify({ type: 'subscribe', wardId }));
      else if (message.type === 'subscribed' && (subscribed += 1) === wardIds.length) resolve(socket);
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'auth', token: job.token })));
  });
}

const sockets = await Promise.all(job.wardsByDashboard.map(open));
await tellParent({ type: 'ready' });
loopDelay.enable();
await nextParentMessage('stop');
loopDelay.disable();
result.eventLoopDelayMaxMs = Math.round(loopDelay.max / 1e6);
result.eventLoopDelayP99Ms = Math.round(loopDelay.percentile(99) / 1e6);
for (const socket of sockets) socket.terminate();
await tellParent({ type: 'result', result });
process.exit(0);
