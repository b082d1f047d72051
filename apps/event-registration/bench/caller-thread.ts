import { Worker } from 'node:worker_threads';
import type { BurstOutcome } from '../findings/support/registration-burst.js';
import type { BurstReply, BurstRequest, CallerClient } from './registration-load.worker.js';

export type SendBurst = (eventId: string, tokens: string[]) => Promise<BurstOutcome>;

/** Callers on a thread of their own (registration-load.worker.ts), one burst at a time. */
export class CallerThread {
  private readonly worker = new Worker(new URL('./registration-load.worker.ts', import.meta.url));

  constructor(private readonly baseUrl: string) {}

  /** A burst from the lean keep-alive callers (keep-alive-callers.ts). */
  readonly send: SendBurst = (eventId, tokens) => this.burst(eventId, tokens, 'keep-alive');

  /** The same burst from undici's `fetch`. */
  readonly sendWithFetch: SendBurst = (eventId, tokens) => this.burst(eventId, tokens, 'fetch');

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private burst(eventId: string, tokens: string[], client: CallerClient): Promise<BurstOutcome> {
    return new Promise((resolve, reject) => {
      const fail = (error: Error): void => reject(error);
      this.worker.once('error', fail);
      this.worker.once('message', (reply: BurstReply) => {
        this.worker.off('error', fail);
        resolve({ statuses: new Map(reply.statuses), latenciesMs: reply.latenciesMs });
      });
      const request: BurstRequest = { baseUrl: this.baseUrl, eventId, tokens, client };
      this.worker.postMessage(request);
    });
  }
}
