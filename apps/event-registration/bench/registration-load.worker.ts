import { parentPort } from 'node:worker_threads';
import { registrationBurst } from '../findings/support/registration-burst.js';
import { KeepAliveCallers } from './keep-alive-callers.js';

/** `keep-alive`: the bench's lean callers; `fetch`: undici's fetch, what the bench used before, for comparison. */
export type CallerClient = 'keep-alive' | 'fetch';

export interface BurstRequest {
  baseUrl: string;
  eventId: string;
  tokens: string[];
  client: CallerClient;
}

export interface BurstReply {
  statuses: Array<[number, number]>;
  latenciesMs: number[];
}

/*
 * The bench's HTTP callers, on their own thread: a load generator sharing the API's event loop would bill
 * its own request building and response parsing to the service. Real callers are on other machines; this
 * thread still shares the 2 cores, which is why the default client is the lean one.
 */
const callers = new Map<string, KeepAliveCallers>();
const keepAliveCallers = (baseUrl: string): KeepAliveCallers => {
  const existing = callers.get(baseUrl);
  if (existing) return existing;
  const created = new KeepAliveCallers(baseUrl);
  callers.set(baseUrl, created);
  return created;
};

parentPort?.on('message', (request: BurstRequest) => {
  const burst =
    request.client === 'fetch'
      ? registrationBurst(request.baseUrl, request.eventId, request.tokens)
      : keepAliveCallers(request.baseUrl).burst(request.eventId, request.tokens);
  void burst.then(({ statuses, latenciesMs }) =>
    parentPort?.postMessage({ statuses: [...statuses], latenciesMs }),
  );
});
