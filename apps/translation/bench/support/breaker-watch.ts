import { samples } from '@remedy/testing';

/** translation_breaker_state's values (0 closed, 1 half-open, 2 open). */
export type BreakerState = 'closed' | 'half-open' | 'open';
const STATES: Record<number, BreakerState> = { 0: 'closed', 1: 'half-open', 2: 'open' };

/** A change of one instance's breaker as its /metrics showed it. */
export interface BreakerTransition {
  instance: number;
  state: BreakerState;
  /** performance.now() of the scrape that first showed it. */
  at: number;
}

export interface BreakerWatch {
  readonly transitions: readonly BreakerTransition[];
  /** The first time at or after `since` that `instance`'s breaker showed `state`, or undefined. */
  firstAfter(instance: number, state: BreakerState, since: number): number | undefined;
  stop(): Promise<void>;
}

/**
 * Scrapes each instance's /metrics every `pollMs` and records the changes of `engine`'s breaker state, the way
 * an operator's dashboard sees them: a state that lasts less than one poll may go unseen, and every time is
 * late by up to `pollMs`.
 */
export function watchBreakers(urls: readonly string[], engine: string, pollMs: number): BreakerWatch {
  const transitions: BreakerTransition[] = [];
  const last: Array<BreakerState | undefined> = urls.map(() => undefined);
  let stopped = false;

  const scrape = async (instance: number): Promise<void> => {
    const exposition = await (await fetch(`${urls[instance]}/metrics`)).text();
    const at = performance.now();
    const sample = samples(exposition, 'translation_breaker_state').find(
      (candidate) => candidate.labels['engine'] === engine,
    );
    const state = sample === undefined ? undefined : STATES[sample.value];
    if (state !== undefined && state !== last[instance]) {
      last[instance] = state;
      transitions.push({ instance, state, at });
    }
  };

  const polling = (async () => {
    while (!stopped) {
      await Promise.all(urls.map((_, instance) => scrape(instance)));
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  })();

  return {
    transitions,
    firstAfter: (instance, state, since) =>
      transitions.find((t) => t.instance === instance && t.state === state && t.at >= since)?.at,
    stop: async () => {
      stopped = true;
      await polling;
    },
  };
}
