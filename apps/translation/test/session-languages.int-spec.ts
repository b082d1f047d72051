import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TokenService } from '@remedy/auth';
import { poolStatementsDuring, type RedisClients, REDIS_CLIENTS } from '@remedy/pooling';
import { useTestContext, waitUntil } from '@remedy/testing';
import { ApiClient } from '../findings/support/api-client.js';
import { seededViewer } from '../findings/support/chat-room.js';
import { organiserWithLiveSession } from '../findings/support/session-fixtures.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { startTestWorker, type TestWorker } from '../findings/support/start-test-worker.js';
import { translationHarness } from '../findings/support/translation-harness.js';
import {
  SessionLanguages,
  sessionLanguagesKey,
  sessionLanguagesVersionKey,
} from '../src/participants/session-languages.js';

const ctx = useTestContext(translationHarness);

const TTL_SECONDS = 120;

describe('the cached participant-language map (polyglot-a:S-3)', () => {
  let app: TestApp;
  let worker: TestWorker;
  let languages: SessionLanguages;
  let redis: RedisClients;
  let sequence = 0;

  beforeAll(async () => {
    const settings = { CACHE_SESSION_LANGUAGES_TTL_SECONDS: String(TTL_SECONDS) };
    app = await startTestApp(ctx, settings);
    worker = await startTestWorker(ctx, settings);
    languages = worker.app.get(SessionLanguages);
    redis = worker.app.get<RedisClients>(REDIS_CLIENTS);
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
  });

  /** A live session the organiser follows in English, and a viewer who is not a participant yet. */
  async function englishSession(): Promise<{ sessionId: string; viewerId: string }> {
    sequence += 1;
    const api = new ApiClient(app.url);
    const { organiser, session } = await organiserWithLiveSession(
      api,
      `sl_${sequence}_organiser@example.com`,
    );
    await api.expect(
      200,
      'POST',
      `/sessions/${session.id}/participants`,
      { language: 'en' },
      organiser.accessToken,
    );
    await seededViewer(ctx.pool, app.app.get(TokenService))(organiser, `sl_${sequence}_viewer@example.com`);
    const { rows } = await ctx.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [
      `sl_${sequence}_viewer@example.com`,
    ]);
    return { sessionId: session.id, viewerId: rows[0]?.id ?? '' };
  }

  /** A participant added behind the service's back: no outbox event, so only an invalidation can reveal it. */
  async function addGermanSilently(sessionId: string, userId: string): Promise<void> {
    await ctx.pool.query(`INSERT INTO participants (session_id, user_id, language) VALUES ($1, $2, 'de')`, [
      sessionId,
      userId,
    ]);
  }

  const withGerman = [
    { language: 'de', participants: 1 },
    { language: 'en', participants: 1 },
  ];

  it('serves a warm map without a statement, with both keys bounded by the TTL', async () => {
    const { sessionId } = await englishSession();
    expect(await languages.of(sessionId)).toEqual([{ language: 'en', participants: 1 }]);
    const warm = await poolStatementsDuring(`${worker.config.database.applicationName}-worker`, () =>
      languages.of(sessionId),
    );
    expect(warm.result).toEqual([{ language: 'en', participants: 1 }]);
    expect(warm.count).toBe(0);
    for (const key of [sessionLanguagesKey(sessionId), sessionLanguagesVersionKey(sessionId)]) {
      const ttl = await redis.cache.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(TTL_SECONDS);
    }
  });

  it('never serves a map stored after an invalidation under the version it was loaded with', async () => {
    const { sessionId, viewerId } = await englishSession();
    await languages.of(sessionId);
    // A delivery loaded this map, then a join committed and its event renewed the version, then the delivery's
    // fill landed: the store of the old map is played back after the invalidation.
    const loadedBeforeTheJoin = await redis.cache.get(sessionLanguagesKey(sessionId));
    await addGermanSilently(sessionId, viewerId);
    await languages.invalidate(sessionId);
    await redis.cache.set(sessionLanguagesKey(sessionId), loadedBeforeTheJoin ?? '', 'EX', TTL_SECONDS);
    expect(await languages.of(sessionId)).toEqual(withGerman);
  });

  it('replaces a lost version key with a new version, so an older map never matches again', async () => {
    const { sessionId, viewerId } = await englishSession();
    await languages.of(sessionId);
    await addGermanSilently(sessionId, viewerId);
    // Evicted by the cache Redis (allkeys-lru) or expired, with the map still there.
    await redis.cache.del(sessionLanguagesVersionKey(sessionId));
    expect(await languages.of(sessionId)).toEqual(withGerman);
  });

  it('is invalidated by a join and a leave through their outbox events', async () => {
    sequence += 1;
    const api = new ApiClient(app.url);
    const { organiser, session } = await organiserWithLiveSession(
      api,
      `sl_${sequence}_organiser@example.com`,
    );
    const viewer = await seededViewer(ctx.pool, app.app.get(TokenService))(
      organiser,
      `sl_${sequence}_viewer@example.com`,
    );
    const path = `/sessions/${session.id}/participants`;
    await api.expect(200, 'POST', path, { language: 'en' }, organiser.accessToken);
    expect(await languages.of(session.id)).toEqual([{ language: 'en', participants: 1 }]);
    const versionBefore = await redis.cache.get(sessionLanguagesVersionKey(session.id));

    await api.expect(200, 'POST', path, { language: 'de' }, viewer.accessToken);
    const versionOf = () => redis.cache.get(sessionLanguagesVersionKey(session.id));
    await waitUntil('the join event consumed', async () => (await versionOf()) !== versionBefore, 30_000);
    expect(await languages.of(session.id)).toEqual(withGerman);

    const versionAfterJoin = await versionOf();
    await api.expect(204, 'DELETE', `${path}/me`, undefined, viewer.accessToken);
    await waitUntil('the leave event consumed', async () => (await versionOf()) !== versionAfterJoin, 30_000);
    expect(await languages.of(session.id)).toEqual([{ language: 'en', participants: 1 }]);
  });
});
