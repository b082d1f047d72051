import type { SeededDevice } from '../../findings/support/seed-registry.js';
import { BenchChild } from '@remedy/testing';
import type { DeviceSwarmJob, DeviceSwarmResult } from './device-swarm.child.js';

/** Devices per child process: well under the open-files limit (20,000) on each side of the loopback. */
const DEVICES_PER_CHILD = 1_250;

export interface DeviceSwarmsOptions {
  wsUrl: string;
  devices: readonly SeededDevice[];
  seconds: number;
  /** Readings each device records per second. */
  readingsPerSecond: number;
  maxReadingsPerMessage: number;
}

/** What every device of every swarm did, summed. */
export type DeviceSwarmTotals = Omit<DeviceSwarmResult, 'devices' | 'opened'> & { devices: number };

/**
 * The devices, spread over child processes of at most 1,250 each, connected and authenticated: `start()` sets
 * them recording at once, `finished` settles once each has recorded for `seconds` and holds no unacknowledged
 * reading (or gave up waiting for its acks).
 */
export class DeviceSwarms {
  private readonly children: BenchChild[] = [];
  readonly ready: Promise<void>;

  constructor(options: DeviceSwarmsOptions) {
    for (let start = 0; start < options.devices.length; start += DEVICES_PER_CHILD) {
      const job: DeviceSwarmJob = {
        wsUrl: options.wsUrl,
        seconds: options.seconds,
        readingsPerSecond: options.readingsPerSecond,
        maxReadingsPerMessage: options.maxReadingsPerMessage,
        devices: options.devices
          .slice(start, start + DEVICES_PER_CHILD)
          .map((device) => ({ id: device.id, token: device.token })),
      };
      this.children.push(
        new BenchChild(new URL('./device-swarm.child.ts', import.meta.url), job, { name: 'device swarm' }),
      );
    }
    this.ready = Promise.all(this.children.map((child) => child.next('ready'))).then(() => undefined);
  }

  get processes(): number {
    return this.children.length;
  }

  /** Starts every device recording in half a second (time for the message to reach each process). */
  start(): number {
    const startAt = Date.now() + 500;
    for (const child of this.children) child.send({ type: 'go', startAt });
    return startAt;
  }

  async finished(): Promise<DeviceSwarmTotals> {
    const results = await Promise.all(
      this.children.map((child) =>
        child.next<{ result: DeviceSwarmResult }>('result').then((report) => report.result),
      ),
    );
    const sum = (count: (result: DeviceSwarmResult) => number): number =>
      results.reduce((total, result) => total + count(result), 0);
    return {
      devices: sum((r) => r.opened),
      sent: sum((r) => r.sent),
      resent: sum((r) => r.resent),
      acked: sum((r) => r.acked),
      throttled: sum((r) => r.throttled),
      errors: sum((r) => r.errors),
      unexpectedCloses: sum((r) => r.unexpectedCloses),
      cpuSeconds: sum((r) => r.cpuSeconds),
    };
  }

  kill(): void {
    for (const child of this.children) child.kill();
  }
}
