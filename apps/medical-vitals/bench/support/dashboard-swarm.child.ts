import WebSocket from 'ws';
import { childJob, nextParentMessage, tellParent } from './child-process.js';

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
}

const job = childJob<DashboardSwarmJob>();
const result: DashboardSwarmResult = {
  dashboards: job.wardsByDashboard.length,
  readings: 0,
  alerts: 0,
  latenciesMs: [],
};

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
        if (result.readings % 10 === 0 && message.recordedAt)
          result.latenciesMs.push(Date.now() - Date.parse(message.recordedAt));
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
await nextParentMessage('stop');
for (const socket of sockets) socket.terminate();
await tellParent({ type: 'result', result });
process.exit(0);
