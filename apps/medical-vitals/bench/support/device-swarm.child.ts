import WebSocket from 'ws';
import { childJob, nextParentMessage, tellParent } from './child-process.js';

export interface DeviceSwarmJob {
  wsUrl: string;
  devices: Array<{ id: string; token: string }>;
  seconds: number;
}

export interface DeviceSwarmResult {
  devices: number;
  opened: number;
  /** Distinct readings; a resend after `throttled` is not counted again. */
  sent: number;
  resent: number;
  acked: number;
  throttled: number;
  errors: number;
  unexpectedCloses: number;
  cpuSeconds: number;
}

interface Device {
  socket: WebSocket;
  sent: number;
  ackedUpTo: number;
  closed: boolean;
  /** Readings not yet acknowledged, by seq: what a real device keeps to send again. */
  unacked: Map<number, string>;
  /** Throttled replies in a row: the device backs off exponentially, as a well-behaved client does. */
  throttleStreak: number;
}

const job = childJob<DeviceSwarmJob>();
const result: DeviceSwarmResult = {
  devices: job.devices.length,
  opened: 0,
  sent: 0,
  resent: 0,
  acked: 0,
  throttled: 0,
  errors: 0,
  unexpectedCloses: 0,
  cpuSeconds: 0,
};
let stopping = false;

function open(device: { id: string; token: string }): Promise<Device> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${job.wsUrl}/ingest`);
    const state: Device = {
      socket,
      sent: 0,
      ackedUpTo: -1,
      closed: false,
      unacked: new Map(),
      throttleStreak: 0,
    };
    socket.once('error', reject);
    socket.on('message', (data: Buffer) => {
      const reply = JSON.parse(data.toString('utf8')) as {
        type: string;
        upToSeq?: number;
        seqs?: number[];
        retryAfterMs?: number;
      };
      if (reply.type === 'auth_ok') resolve(state);
      else if (reply.type === 'ack' && typeof reply.upToSeq === 'number') {
        state.ackedUpTo = Math.max(state.ackedUpTo, reply.upToSeq);
        state.throttleStreak = 0;
        // Each message carries one reading, so its ack names exactly that reading.
        state.unacked.delete(reply.upToSeq);
      } else if (reply.type === 'throttled') {
        result.throttled += 1;
        state.throttleStreak += 1;
        // The protocol's backpressure: those readings were not taken; send them again after retryAfterMs,
        // backing off (with jitter) while the server keeps refusing.
        const backoff =
          Math.min(5_000, 100 * 2 ** Math.min(state.throttleStreak, 6)) * (0.5 + Math.random() / 2);
        setTimeout(
          () => {
            for (const seq of reply.seqs ?? []) {
              const payload = state.unacked.get(seq);
              if (payload === undefined || state.closed) continue;
              result.resent += 1;
              state.socket.send(payload);
            }
          },
          Math.max(reply.retryAfterMs ?? 1_000, backoff),
        );
      } else if (reply.type === 'error') result.errors += 1;
    });
    socket.on('close', () => {
      state.closed = true;
      if (!stopping) result.unexpectedCloses += 1;
    });
    socket.once('open', () =>
      socket.send(JSON.stringify({ type: 'auth', deviceId: device.id, token: device.token })),
    );
  });
}

async function main(): Promise<void> {
  const devices: Device[] = [];
  for (let start = 0; start < job.devices.length; start += 100) {
    devices.push(...(await Promise.all(job.devices.slice(start, start + 100).map(open))));
  }
  result.opened = devices.length;
  await tellParent({ type: 'ready' });
  const { startAt } = await nextParentMessage<{ startAt: number }>('go');
  const cpuBefore = process.cpuUsage();
  const timers: NodeJS.Timeout[] = [];
  const sendOne = (device: Device): void => {
    if (device.closed || device.socket.readyState !== WebSocket.OPEN) return;
    const seq = device.sent;
    device.sent += 1;
    result.sent += 1;
    const payload = JSON.stringify({
      type: 'reading',
      seq,
      recordedAt: new Date().toISOString(),
      heartRate: 60 + (seq % 40),
      spo2: 97,
      systolic: 120,
      diastolic: 80,
      temperature: 36.8,
    });
    device.unacked.set(seq, payload);
    device.socket.send(payload);
  };
  // Each device sends once a second, the devices spread evenly over the second (no thundering herd).
  await Promise.all(
    devices.map(
      (device, index) =>
        new Promise<void>((resolve) => {
          const offset = startAt - Date.now() + (index / devices.length) * 1_000;
          timers.push(
            setTimeout(
              () => {
                sendOne(device);
                const interval = setInterval(() => {
                  if (device.sent >= job.seconds) {
                    clearInterval(interval);
                    return resolve();
                  }
                  sendOne(device);
                }, 1_000);
                timers.push(interval);
              },
              Math.max(0, offset),
            ),
          );
        }),
    ),
  );
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && devices.some((device) => !device.closed && device.unacked.size > 0)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  result.acked = devices.reduce((sum, device) => sum + device.sent - device.unacked.size, 0);
  const cpu = process.cpuUsage(cpuBefore);
  result.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  stopping = true;
  for (const device of devices) device.socket.terminate();
  await tellParent({ type: 'result', result });
  process.exit(0);
}

await main();
