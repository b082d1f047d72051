import { parentPort, workerData } from 'node:worker_threads';
import { DeviceClient, readings } from '../../findings/support/device-client.js';

interface BurstJob {
  wsUrl: string;
  devices: { id: string; token: string }[];
  perDevice: number;
  perMessage: number;
  warmUp: number;
  start: number;
}

/**
 * The device side of the ingest bench, on its own thread so that the clients' JSON and socket work does not
 * share the server's event loop. Posts the burst's wall time (first send → last ack) in milliseconds.
 */
async function run(job: BurstJob): Promise<number> {
  const clients = await Promise.all(
    job.devices.map((device) => DeviceClient.open(job.wsUrl, device.id, device.token)),
  );
  clients.forEach((client) =>
    client.sendReadings(readings(job.warmUp, job.perDevice, job.start + job.perDevice * 1000)),
  );
  await Promise.all(clients.map((client) => client.untilAcked(job.perDevice + job.warmUp - 1, 60_000)));
  const acksPerClient = 1 + Math.ceil(job.perDevice / job.perMessage);
  const started = performance.now();
  clients.forEach((client) => {
    const backlog = readings(job.perDevice, 0, job.start);
    for (let i = 0; i < job.perDevice; i += job.perMessage)
      client.sendReadings(backlog.slice(i, i + job.perMessage));
  });
  await Promise.all(
    clients.map((client) =>
      client.until(
        () => client.replies.filter((reply) => reply.type === 'ack').length === acksPerClient,
        120_000,
      ),
    ),
  );
  const elapsed = performance.now() - started;
  clients.forEach((client) => client.close());
  return elapsed;
}

run(workerData as BurstJob).then(
  (elapsed) => parentPort?.postMessage({ elapsed }),
  (error: unknown) => parentPort?.postMessage({ error: String(error) }),
);
