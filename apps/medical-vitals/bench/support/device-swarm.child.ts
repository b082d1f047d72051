import { childJob, nextParentMessage, tellParent } from '@remedy/testing';
import { SimulatedDevice } from './simulated-device.js';

export interface DeviceSwarmJob {
  wsUrl: string;
  devices: Array<{ id: string; token: string }>;
  seconds: number;
  /** Readings each device records per second. */
  readingsPerSecond: number;
  /** The server's limit of readings per message (a backlog is resent in batches of at most this). */
  maxReadingsPerMessage: number;
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

const job = await childJob<DeviceSwarmJob>();

async function main(): Promise<void> {
  const devices: SimulatedDevice[] = [];
  for (let start = 0; start < job.devices.length; start += 100) {
    const batch = job.devices.slice(start, start + 100).map((device) =>
      SimulatedDevice.open({
        wsUrl: job.wsUrl,
        deviceId: device.id,
        token: device.token,
        maxReadingsPerMessage: job.maxReadingsPerMessage,
      }),
    );
    devices.push(...(await Promise.all(batch)));
  }
  await tellParent({ type: 'ready' });
  const { startAt } = await nextParentMessage<{ startAt: number }>('go');
  const cpuBefore = process.cpuUsage();
  const timers: NodeJS.Timeout[] = [];
  const intervalMs = 1_000 / job.readingsPerSecond;
  const readingsPerDevice = Math.round(job.seconds * job.readingsPerSecond);
  // Each device records every intervalMs, the devices spread evenly over the interval (no thundering herd).
  await Promise.all(
    devices.map(
      (device, index) =>
        new Promise<void>((resolve) => {
          const offset = startAt - Date.now() + (index / devices.length) * intervalMs;
          timers.push(
            setTimeout(
              () => {
                device.record();
                const interval = setInterval(() => {
                  if (device.counts.recorded >= readingsPerDevice) {
                    clearInterval(interval);
                    return resolve();
                  }
                  device.record();
                }, intervalMs);
                timers.push(interval);
              },
              Math.max(0, offset),
            ),
          );
        }),
    ),
  );
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && devices.some((device) => !device.closed && device.unackedCount > 0)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const cpu = process.cpuUsage(cpuBefore);
  const sum = (count: (device: SimulatedDevice) => number): number =>
    devices.reduce((total, device) => total + count(device), 0);
  const result: DeviceSwarmResult = {
    devices: job.devices.length,
    opened: devices.length,
    sent: sum((device) => device.counts.recorded),
    resent: sum((device) => device.counts.resent),
    acked: sum((device) => device.counts.recorded - device.unackedCount),
    throttled: sum((device) => device.counts.throttled),
    errors: sum((device) => device.counts.errors),
    unexpectedCloses: sum((device) => (device.closedByServer ? 1 : 0)),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  for (const device of devices) device.terminate();
  await tellParent({ type: 'result', result });
  process.exit(0);
}

await main();
