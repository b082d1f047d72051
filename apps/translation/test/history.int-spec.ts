import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useTestContext } from '@remedy/testing';
import { ApiClient } from '../findings/support/api-client.js';
import { organiserWithLiveSession } from '../findings/support/session-fixtures.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { translationHarness } from '../findings/support/translation-harness.js';
import {
  startTranslationProviders,
  type TranslationProviders,
} from '../findings/support/translation-providers.js';

const ctx = useTestContext(translationHarness);

interface HistoryPage {
  data: Array<{ sourceText: string; translatedText: string; engine: string; translatedAt: string }>;
  pagination: { nextCursor: string | null };
}

describe('GET /sessions/:id/history', () => {
  let providers: TranslationProviders;
  let testApp: TestApp;
  let api: ApiClient;

  beforeAll(async () => {
    providers = await startTranslationProviders();
    testApp = await startTestApp(ctx, providers.env);
    api = new ApiClient(testApp.url);
  });

  afterAll(async () => {
    await testApp.close();
    await providers.stop();
  });

  it('records every translation of a session, cache answers included, and pages it newest first', async () => {
    const { organiser, session } = await organiserWithLiveSession(api, 'history_organiser@example.com');
    const token = organiser.accessToken;
    const translate = (texts: string[]) =>
      api.expect(
        200,
        'POST',
        '/translations',
        { texts, sourceLanguage: 'ja', targetLanguage: 'de', kind: 'chat', sessionId: session.id },
        token,
      );
    await translate(['one', 'two']);
    await translate(['three', 'one']);

    const first = await api.expect<HistoryPage>(
      200,
      'GET',
      `/sessions/${session.id}/history?limit=3`,
      undefined,
      token,
    );
    expect(first.data).toHaveLength(3);
    expect(first.pagination.nextCursor).not.toBeNull();
    const rest = await api.expect<HistoryPage>(
      200,
      'GET',
      `/sessions/${session.id}/history?limit=3&cursor=${encodeURIComponent(first.pagination.nextCursor ?? '')}`,
      undefined,
      token,
    );
    const all = [...first.data, ...rest.data];
    expect(rest.pagination.nextCursor).toBeNull();
    expect(all.map((entry) => entry.sourceText).sort()).toEqual(['one', 'one', 'three', 'two']);
    expect(
      all
        .filter((entry) => entry.sourceText === 'one')
        .map((entry) => entry.engine)
        .sort(),
    ).toEqual(['cache', 'google-v3']);
    const times = all.map((entry) => entry.translatedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("refuses another organisation's session, viewers, and more than 100 a page", async () => {
    const { organiser, session } = await organiserWithLiveSession(api, 'history_owner@example.com');
    const stranger = await api.signup('history_stranger@example.com');
    const viewer = await api.addMember(organiser.accessToken, 'history_viewer@example.com', 'viewer');
    expect(
      (await api.call('GET', `/sessions/${session.id}/history`, undefined, stranger.accessToken)).status,
    ).toBe(404);
    expect(
      (
        await api.call(
          'POST',
          '/translations',
          { texts: ['x'], sourceLanguage: 'ja', targetLanguage: 'de', kind: 'chat', sessionId: session.id },
          stranger.accessToken,
        )
      ).status,
    ).toBe(404);
    expect(
      (await api.call('GET', `/sessions/${session.id}/history`, undefined, viewer.accessToken)).status,
    ).toBe(403);
    expect(
      (await api.call('GET', `/sessions/${session.id}/history?limit=101`, undefined, organiser.accessToken))
        .status,
    ).toBe(400);
    expect((await api.call('GET', `/sessions/${session.id}/history`)).status).toBe(401);
  });

  it('stores history in daily partitions made ahead, with a default partition behind them', async () => {
    const partitions = await ctx.pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'translation_history'::regclass`,
    );
    expect(partitions.rows.length).toBeGreaterThanOrEqual(8);
  });
});
