import { Worker } from 'node:worker_threads';
import type { BurstOutcome } from '../findings/support/registration-burst.js';
import type { BurstReply, BurstRequest } from './registration-load.worker.js';

export type SendBurst = (eventId: string, tokens: string[]) => Promise<BurstOutcome>;

/** Callers on a thread of their own (registration-load.worker.ts), one burst at a time. */
export class CallerThread {
  private readonly worker = new Worker(new URL('./registration-load.worker.ts', import.meta.url));

  constructor(private readonly baseUrl: string) {}

  readonly send: SendBurst = (eventId, tokens) =>
    new Promise((resolve, reject) => {
      const fail = (error: Error): void => reject(error);
      this.worker.once('error', fail);
      this.worker.once('message', (reply: BurstReply) => {
        this.worker.off('error', fail);
        resolve({ statuses: new Map(reply.statuses), latenciesMs: reply.latenciesMs });
      });
      const request: BurstRequest = { baseUrl: this.baseUrl, eventId, tokens };
      this.worker.postMessage(request);
    });

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
