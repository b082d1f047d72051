import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext, waitUntil } from '@remedy/testing';
import { ApiClient, type AuthSessionBody } from '../findings/support/api-client.js';
import { documentsHarness } from '../findings/support/documents-harness.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { startTestWorker, type TestWorker } from '../findings/support/start-test-worker.js';

const ctx = useTestContext(documentsHarness);

const METRIC = 'documents_search_index_lag_seconds';

interface LagHistogram {
  count: number;
  sum: number;
  /** Cumulative count per bucket bound (`+Inf` included). */
  buckets: Map<string, number>;
}

describe("the search index's lag on the API's /metrics", () => {
  let testApp: TestApp;
  let api: ApiClient;
  let admin: AuthSessionBody;
  const workers: TestWorker[] = [];

  beforeAll(async () => {
    testApp = await startTestApp(ctx);
    api = new ApiClient(testApp.url);
    admin = await api.signup('lag_admin@example.com');
  });

  afterAll(async () => {
    for (const worker of workers) await worker.close();
    await testApp.close();
  });

  /** The histogram's samples (each line also carries the registry's `service` label). */
  async function scrape(): Promise<LagHistogram> {
    const text = await (await fetch(`${testApp.url}/metrics`)).text();
    const samples = [
      ...text.matchAll(new RegExp(`^${METRIC}_(bucket|sum|count)\\{([^}]*)\\} (\\S+)$`, 'gm')),
    ];
    const histogram: LagHistogram = { count: NaN, sum: NaN, buckets: new Map() };
    for (const [, kind, labels, value] of samples) {
      if (kind === 'bucket') histogram.buckets.set(/le="([^"]+)"/.exec(labels!)![1]!, Number(value));
      else histogram[kind as 'sum' | 'count'] = Number(value);
    }
    if (Number.isNaN(histogram.count) || histogram.buckets.size === 0)
      throw new Error(`/metrics has no ${METRIC} histogram`);
    return histogram;
  }

  /** The database's seconds since the document's last change committed (the metric's clock). */
  async function secondsSinceChange(documentId: string): Promise<number> {
    const { rows } = await ctx.pool.query<{ seconds: number }>(
      'SELECT extract(epoch FROM clock_timestamp() - updated_at)::float8 AS seconds FROM documents WHERE id = $1',
      [documentId],
    );
    return rows[0]!.seconds;
  }

  it('counts each indexed change once, with at least the time its change waited for the indexer', async () => {
    const before = await scrape();
    expect(before.count).toBe(0);
    expect(before.buckets.get('+Inf')).toBe(0);

    // No worker runs yet: the change commits and waits in the outbox; that wait is part of its lag.
    const created = await api.expect<{ id: string }>(
      201,
      'POST',
      '/documents',
      { title: 'Lag of a held change', body: 'waiting for the indexer' },
      admin.accessToken,
    );
    const waited = await secondsSinceChange(created.id);
    workers.push(await startTestWorker(ctx));
    await waitUntil('the change is indexed and counted', async () => (await scrape()).count === 1, 15_000);

    const after = await scrape();
    expect(after.sum).toBeGreaterThanOrEqual(waited);
    // The one observation sits in the first bucket whose bound holds it, and in every bucket past it.
    const bounds = [...after.buckets.keys()];
    const first = bounds.findIndex((le) => after.buckets.get(le) === 1);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(bounds.slice(first).every((le) => after.buckets.get(le) === 1)).toBe(true);
    expect(bounds.slice(0, first).every((le) => after.buckets.get(le) === 0)).toBe(true);
    expect(le(bounds[first]!)).toBeGreaterThanOrEqual(after.sum);
    if (first > 0) expect(le(bounds[first - 1]!)).toBeLessThan(after.sum);

    // A rename is a second change; a redelivery of either would change nothing and count nothing.
    await api.expect(
      200,
      'PATCH',
      `/documents/${created.id}`,
      { title: 'Lag of a renamed change' },
      admin.accessToken,
    );
    await waitUntil('the rename is indexed and counted', async () => (await scrape()).count === 2, 15_000);
    expect((await scrape()).sum).toBeGreaterThan(after.sum);
  }, 60_000);
});

function le(bound: string): number {
  return bound === '+Inf' ? Infinity : Number(bound);
}
