import {
  createLogger,
  currentCorrelation,
  type DestinationStream,
  type PinoLogger,
} from '@remedy/observability';
import { MicroBatchingProviderBatcher } from '../src/translation/batching/micro-batching-provider-batcher.js';

/*
 * polyglot-b:I-3 — the design's logs are structured JSON, but nothing ties a line to the request or session it
 * was written for: under load the lines of a failing translation (the engine's 5xx, the retry, the fallback, the
 * 503) sit among thousands of others, and nothing says which belong together. The kata is the service's JSON
 * logger without the correlation context, in the LOGGER provider's place (Nest's own lines go through it too).
 */
export function uncorrelatedLogger(serviceName: string, destination: DestinationStream): PinoLogger {
  return createLogger({ serviceName, destination, contextFields: () => ({}) });
}

/* Close cousins. */

/** Lines carry the request ID but none of the domain IDs bound to the request (the session). */
export function requestIdOnlyLogger(serviceName: string, destination: DestinationStream): PinoLogger {
  return createLogger({
    serviceName,
    destination,
    contextFields: () => ({ requestId: currentCorrelation()?.requestId }),
  });
}

/**
 * The service's batcher, but a batched call runs in whatever context it was started from: the timer the first
 * request set, or the previous call's callback. Its lines name that request, not the ones the call serves.
 */
export class FirstRequestContextBatcher extends MicroBatchingProviderBatcher {
  protected override onBehalfOf<T>(_waiters: readonly unknown[], call: () => Promise<T>): Promise<T> {
    return call();
  }
}
