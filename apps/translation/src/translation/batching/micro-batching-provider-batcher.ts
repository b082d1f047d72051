import { currentCorrelation, runOnBehalfOf, type Correlation } from '@remedy/observability';
import type { TranslationMetrics } from '../metrics/translation-metrics.js';
import type { ProviderTranslation, ProviderTranslator } from '../providers/provider-translator.js';
import { ProviderBatcher, type BatchRequest } from './provider-batcher.js';

interface Waiter {
  texts: string[];
  /** The IDs of the request the texts came from: the call's log lines name every request it serves. */
  correlation: Correlation | undefined;
  /** When the texts reached the batcher (performance.now()): their wait ends when a call carries them. */
  arrivedAt: number;
  resolve: (translation: ProviderTranslation) => void;
  reject: (error: unknown) => void;
}

interface Group {
  request: Omit<BatchRequest, 'texts'>;
  waiters: Waiter[];
  timer?: NodeJS.Timeout;
  inFlight: number;
}

export interface MicroBatchingSettings {
  /** How long the first text of a batch waits for others of its group before the batch goes out. */
  windowMs: number;
  /** Calls one group may have out at once; texts arriving past it wait for the first of them to return. */
  maxCallsInFlight: number;
}

/**
 * Groups the texts of requests arriving within `windowMs` by organisation, pair and glossary version (texts
 * translated with one glossary must never ride in a call made with another) into one provider call, whose
 * engine splits it by its own segment and character limits. A group has at most `maxCallsInFlight` calls out
 * (ADR 0076): a text arriving while fewer are out goes in the next window's call instead of waiting a whole
 * provider latency behind the call already out; at the bound, texts arriving meanwhile form one batch, sent as
 * soon as a call returns, so a slow or held provider gets fewer, larger calls instead of a call per text. How
 * long each request's texts waited for their call (the window plus any wait at the bound) goes to
 * TranslationMetrics.
 *
 * A call is made from a timer the first request set, or from the previous call's callback: left alone, its log
 * lines would carry that request's IDs. It runs instead on behalf of the requests it serves (polyglot-b:I-3):
 * for one request its IDs, for several `requestIds` and `sessionIds` listing them all.
 */
export class MicroBatchingProviderBatcher extends ProviderBatcher {
  private readonly groups = new Map<string, Group>();
  private waitingTexts = 0;

  constructor(
    private readonly provider: ProviderTranslator,
    private readonly settings: MicroBatchingSettings,
    private readonly metrics: TranslationMetrics,
  ) {
    super();
  }

  get waiting(): number {
    return this.waitingTexts;
  }

  translate(request: BatchRequest): Promise<ProviderTranslation> {
    const key = JSON.stringify([
      request.organisationId,
      request.sourceLanguage,
      request.targetLanguage,
      request.glossary ?? null,
    ]);
    let group = this.groups.get(key);
    if (group === undefined) {
      const { texts: _texts, ...shared } = request;
      group = { request: shared, waiters: [], inFlight: 0 };
      this.groups.set(key, group);
    }
    const joined = group;
    this.waitingTexts += request.texts.length;
    return new Promise<ProviderTranslation>((resolve, reject) => {
      joined.waiters.push({
        texts: request.texts,
        correlation: currentCorrelation(),
        arrivedAt: performance.now(),
        resolve,
        reject,
      });
      if (joined.inFlight < this.settings.maxCallsInFlight && joined.timer === undefined) {
        joined.timer = setTimeout(() => this.flush(key, joined), this.settings.windowMs);
      }
    });
  }

  close(): void {
    for (const group of this.groups.values()) clearTimeout(group.timer);
    this.groups.clear();
  }

  /** The context a provider call runs in: the requests it serves. */
  protected onBehalfOf<T>(
    waiters: readonly Pick<Waiter, 'correlation'>[],
    call: () => Promise<T>,
  ): Promise<T> {
    return runOnBehalfOf(
      waiters.map((waiter) => waiter.correlation),
      call,
    );
  }

  private flush(key: string, group: Group): void {
    group.timer = undefined;
    const waiters = group.waiters.splice(0);
    if (waiters.length === 0) {
      if (group.inFlight === 0) this.groups.delete(key);
      return;
    }
    const texts = [...new Set(waiters.flatMap((waiter) => waiter.texts))];
    this.waitingTexts -= waiters.reduce((sum, waiter) => sum + waiter.texts.length, 0);
    const sentAt = performance.now();
    for (const waiter of waiters) this.metrics.batchWaited((sentAt - waiter.arrivedAt) / 1_000);
    group.inFlight += 1;
    this.onBehalfOf(waiters, () => this.provider.translate({ ...group.request, texts }))
      .then(
        (translation) => {
          const byText = new Map(texts.map((text, i) => [text, translation.texts[i] ?? '']));
          for (const waiter of waiters) {
            waiter.resolve({
              engine: translation.engine,
              texts: waiter.texts.map((text) => byText.get(text) ?? ''),
            });
          }
        },
        (error: unknown) => {
          for (const waiter of waiters) waiter.reject(error);
        },
      )
      .finally(() => {
        group.inFlight -= 1;
        // Texts held at the bound go now: they have already waited at least one call's latency. Texts in an
        // open window keep it; with nothing left, flush forgets the group once its last call is back.
        if (group.timer === undefined) this.flush(key, group);
      });
  }
}
