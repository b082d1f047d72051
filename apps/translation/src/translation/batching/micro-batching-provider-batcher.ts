import { currentCorrelation, runOnBehalfOf, type Correlation } from '@remedy/observability';
import type { ProviderTranslation, ProviderTranslator } from '../providers/provider-translator.js';
import { ProviderBatcher, type BatchRequest } from './provider-batcher.js';

interface Waiter {
  texts: string[];
  /** The IDs of the request the texts came from: the call's log lines name every request it serves. */
  correlation: Correlation | undefined;
  resolve: (translation: ProviderTranslation) => void;
  reject: (error: unknown) => void;
}

interface Group {
  request: Omit<BatchRequest, 'texts'>;
  waiters: Waiter[];
  timer?: NodeJS.Timeout;
  inFlight: boolean;
}

/**
 * Groups the texts of requests arriving within `windowMs` by organisation, pair and glossary version (texts
 * translated with one glossary must never ride in a call made with another) into one provider call, whose
 * engine splits it by its own segment and character limits. A group has at most one call in flight: texts
 * arriving meanwhile form the next batch, sent when the call returns, so a slow provider gets fewer, larger
 * calls instead of a call per text.
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
    private readonly windowMs: number,
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
      group = { request: shared, waiters: [], inFlight: false };
      this.groups.set(key, group);
    }
    const joined = group;
    this.waitingTexts += request.texts.length;
    return new Promise<ProviderTranslation>((resolve, reject) => {
      joined.waiters.push({ texts: request.texts, correlation: currentCorrelation(), resolve, reject });
      if (!joined.inFlight && joined.timer === undefined) {
        joined.timer = setTimeout(() => this.flush(key, joined), this.windowMs);
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
      this.groups.delete(key);
      return;
    }
    const texts = [...new Set(waiters.flatMap((waiter) => waiter.texts))];
    this.waitingTexts -= waiters.reduce((sum, waiter) => sum + waiter.texts.length, 0);
    group.inFlight = true;
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
        group.inFlight = false;
        // What arrived while the call was out goes now: it has already waited at least one call's latency.
        this.flush(key, group);
      });
  }
}
