import { parentPort } from 'node:worker_threads';
import { registrationBurst } from '../findings/support/registration-burst.js';

export interface BurstRequest {
  baseUrl: string;
  eventId: string;
  tokens: string[];
}

export interface BurstReply {
  statuses: Array<[number, number]>;
  latenciesMs: number[];
}

/*
 * The bench's HTTP callers, on their own thread: a load generator sharing the API's event loop would bill
 * its own request building and response parsing (undici's fetch costs about as much CPU per call as the
 * server) to the service. Real callers are on other machines; this thread still shares the 2 cores.
 */
parentPort?.on('message', (request: BurstRequest) => {
  void registrationBurst(request.baseUrl, request.eventId, request.tokens).then(({ statuses, latenciesMs }) =>
    parentPort?.postMessage({ statuses: [...statuses], latenciesMs }),
  );
});
