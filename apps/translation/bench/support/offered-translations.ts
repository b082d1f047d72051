import { translateCall } from '../../findings/support/translate-call.js';
import type { ApiClient } from '../../findings/support/api-client.js';

/** One POST /translations the load sent, as its client saw it. */
export interface OfferedTranslation {
  /** ms since the load's start when it was sent. */
  sentAtMs: number;
  /** Which API instance it went to (index into `apis`). */
  instance: number;
  status: number;
  latencyMs: number;
  /** Who translated it (`google-v3`, `deepl-v2`), or undefined when it failed. */
  source: string | undefined;
}

export interface OfferedLoad {
  /** performance.now() at the load's start: the epoch of `sentAtMs`. */
  readonly startedAt: number;
  /** Stops sending and resolves once every request sent has its answer. */
  stop(): Promise<OfferedTranslation[]>;
}

export interface OfferedLoadOptions {
  /** The API instances, taken in turn. */
  apis: readonly ApiClient[];
  /** Organisers' access tokens, taken in turn: one organisation per token. */
  tokens: readonly string[];
  requestsPerSecond: number;
  /** Prefixes every text, so two loads never meet each other's cached translations. */
  label: string;
}

/**
 * An open-loop load of POST /translations: request i leaves at i / rate from the start whatever the answers
 * before it do, so a slow service meets the offered rate rather than slowing its own load down (latency is from
 * the moment each request was due). Each request is one new text (never cached), from the organisations in
 * turn: the micro-batcher groups texts per organisation, so with enough of them most requests stay one engine
 * call each, as many calls as a busy service makes.
 */
export function startOfferedLoad({
  apis,
  tokens,
  requestsPerSecond,
  label,
}: OfferedLoadOptions): OfferedLoad {
  const startedAt = performance.now();
  const answers: Array<Promise<OfferedTranslation>> = [];
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  const send = (index: number): Promise<OfferedTranslation> => {
    const instance = index % apis.length;
    const dueAt = startedAt + (index * 1_000) / requestsPerSecond;
    return translateCall(apis[instance]!, tokens[index % tokens.length]!, [`${label} text ${index}`]).then(
      (answer) => ({
        sentAtMs: dueAt - startedAt,
        instance,
        status: answer.status,
        latencyMs: performance.now() - dueAt,
        source: answer.status === 200 ? answer.translations[0]?.source : undefined,
      }),
      () => ({
        sentAtMs: dueAt - startedAt,
        instance,
        status: 0,
        latencyMs: performance.now() - dueAt,
        source: undefined,
      }),
    );
  };

  const sending = (async () => {
    for (let index = 0; !stopped; index += 1) {
      const waitMs = startedAt + (index * 1_000) / requestsPerSecond - performance.now();
      if (waitMs > 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, waitMs);
        });
        if (stopped) break;
      }
      answers.push(send(index));
    }
  })();

  return {
    startedAt,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await sending;
      return Promise.all(answers);
    },
  };
}
