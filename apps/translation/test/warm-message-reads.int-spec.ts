import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { statementKind } from '@remedy/observability';
import { useTestContext, waitForQueuesIdle } from '@remedy/testing';
import { Queue } from 'bullmq';
import { ApiClient } from '../findings/support/api-client.js';
import { deliveriesOf, openChatRoom, type ChatRoom } from '../findings/support/chat-room.js';
import { spawnChatInstance, type ChatInstance } from '../findings/support/spawn-chat-instance.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { startTestWorker, type TestWorker } from '../findings/support/start-test-worker.js';
import { translationHarness } from '../findings/support/translation-harness.js';
import {
  googleGlossaryName,
  startTranslationProviders,
  type TranslationProviders,
} from '../findings/support/translation-providers.js';
import { CHAT_MESSAGES_QUEUE_NAME } from '../src/chat/messages/chat-message-queue.js';
import { poolStatementsDuring, REDIS_CLIENTS, type RedisClients } from '@remedy/pooling';
import {
  PairGlossaries,
  pairGlossaryKey,
  pairVersionKey,
  type GlossaryPair,
} from '../src/glossaries/pair-glossaries.js';
import { providerGlossaryName } from '../src/translation/glossary-of-pair.js';

/** The cache Redis refusing every renewal: what a glossary write meets when it is unreachable. */
class UnreachablePairGlossaries extends PairGlossaries {
  override invalidate(): Promise<void> {
    return Promise.reject(new Error('connect ECONNREFUSED (cache Redis)'));
  }
}

const ctx = useTestContext(translationHarness);

const SETTINGS = {
  // A held-up translation must not go out untranslated: these tests read the wording.
  CHAT_TRANSLATION_TIMEOUT_MS: '60000',
  // The sweep runs by the clock, not per message: keep it out of the counted windows.
  CHAT_REDELIVERY_SWEEP_MS: '3600000',
  CACHE_GLOSSARY_TTL_SECONDS: '120',
};
/**
 * The outbox relay polls by the clock, not per message, on a pool of its own (`<applicationName>-relay`): none of
 * its statements is a message's, including the local idle timeout its claim transaction sets, which names no table.
 */
const byTheClock = (statement: { pool: string }): boolean => statement.pool.endsWith('-relay');
const WARM_MESSAGES = 3;

interface GlossaryBody {
  id: string;
  version: number;
}

/**
 * Issue 13, ADR 0088 and 0089: once warm, a chat message costs the service no database read (the API's INSERT,
 * then the worker's history rows and delivered mark, all writes), and a glossary changed through one API
 * instance (a process of its own) is applied by the worker from the next message on.
 */
describe('chat messages once warm', () => {
  let providers: TranslationProviders;
  let app: TestApp;
  let worker: TestWorker;
  let other: ChatInstance;
  let room: ChatRoom;
  let viaOther: ApiClient;
  let chatQueue: Queue;
  /** The en → de glossary the first test creates (version 1). */
  let german: GlossaryBody | undefined;
  let sequence = 0;

  /** Registers every version up to `versions` of a glossary at both engines, as the glossary's terms say. */
  function registerGlossary(id: string, versions: Record<number, Record<string, string>>): void {
    for (const [version, terms] of Object.entries(versions)) {
      const name = providerGlossaryName({ id, version: Number(version) });
      providers.google.setGlossary(googleGlossaryName(name), terms);
      providers.deepl.setGlossary(name, terms);
    }
  }

  /** Sends a message from the organiser (English), waits until every member has it and its job is done. */
  async function sendAndDeliver(text: string): Promise<Map<string, string>> {
    const author = room.members[0]!.socket;
    const clientMessageId = `warm-${(sequence += 1)}`;
    author.send({ type: 'message', text, clientMessageId });
    const pendingOf = () =>
      author.ofType('pending').find((frame) => frame['clientMessageId'] === clientMessageId);
    await author.until('pending', () => pendingOf() !== undefined);
    const messageId = String(pendingOf()?.['messageId']);
    const texts = new Map<string, string>();
    for (const { socket, language } of room.members) {
      await socket.until(`message ${messageId}`, () => deliveriesOf(socket, messageId).length > 0);
      texts.set(language, String(deliveriesOf(socket, messageId)[0]?.['text']));
    }
    // The delivered mark comes after the frames: the job is done once it is written.
    await waitForQueuesIdle([chatQueue], { timeoutMs: 30_000 });
    return texts;
  }

  beforeAll(async () => {
    providers = await startTranslationProviders();
    const settings = { ...providers.env, ...SETTINGS };
    app = await startTestApp(ctx, settings);
    worker = await startTestWorker(ctx, settings);
    other = await spawnChatInstance({
      databaseUrl: ctx.databaseUrl,
      redisUrl: ctx.redisUrl,
      prefix: ctx.prefix,
      overrides: settings,
      registry: 'redis',
    });
    viaOther = new ApiClient(other.url);
    chatQueue = new Queue(CHAT_MESSAGES_QUEUE_NAME, {
      connection: { url: worker.config.redis.queueUrl },
      prefix: worker.config.redis.queuePrefix,
    });
    const api = new ApiClient(app.url);
    room = await openChatRoom(api, app.url.replace(/^http/, 'ws'), 'warm_reads', ['en', 'de', 'fr']);
  });

  afterAll(async () => {
    await Promise.all(room.members.map(({ socket }) => socket.close()));
    await chatQueue.close();
    await other.stop();
    await worker.close();
    await app.close();
    await providers.stop();
  });

  it('reads nothing per message once warm, with a glossary for one target language and none for the other', async () => {
    const glossary = (german = await viaOther.expect<GlossaryBody>(
      201,
      'POST',
      '/glossaries',
      { sourceLanguage: 'en', targetLanguage: 'de', terms: [{ source: 'Remedy', target: 'Remedium' }] },
      room.organiser.accessToken,
    ));
    registerGlossary(glossary.id, { 1: { Remedy: 'Remedium' } });
    await sendAndDeliver('Remedy warms the caches');

    const pools = worker.config.database.applicationName;
    for (let message = 1; message <= WARM_MESSAGES; message += 1) {
      const { result: texts, statements } = await poolStatementsDuring(pools, () =>
        sendAndDeliver(`Remedy agenda point ${message}`),
      );
      expect(texts.get('de')).toBe(`[de] Remedium agenda point ${message}`);
      const perMessage = statements.filter((statement) => !byTheClock(statement));
      const reads = perMessage.filter((statement) => statementKind(statement.sql) === 'select');
      expect(reads.map((statement) => statement.sql)).toEqual([]);
      // The API's INSERT … SELECT (the author must be a participant), a history row per translated language and
      // the delivered mark: what the issue allows.
      expect(perMessage.map((statement) => statementKind(statement.sql)).sort()).toEqual([
        'insert',
        'insert',
        'insert',
        'update',
      ]);
    }
  });

  it('applies a glossary created, changed or deleted through another instance from the next message on', async () => {
    const organiser = room.organiser.accessToken;
    const glossary = german;
    if (glossary === undefined) throw new Error('the first test made no en → de glossary');
    registerGlossary(glossary.id, { [glossary.version + 1]: { Remedy: 'Heilmittel' } });
    // The worker has both pairs cached: en → de with its glossary, en → fr with none.
    const before = await sendAndDeliver('Remedy opens the panel');
    expect(before.get('de')).toBe('[de] Remedium opens the panel');
    expect(before.get('fr')).toBe('[fr] Remedy opens the panel');

    await viaOther.expect(
      200,
      'PUT',
      `/glossaries/${glossary.id}`,
      { terms: [{ source: 'Remedy', target: 'Heilmittel' }] },
      organiser,
    );
    const french = await viaOther.expect<GlossaryBody>(
      201,
      'POST',
      '/glossaries',
      { sourceLanguage: 'en', targetLanguage: 'fr', terms: [{ source: 'Remedy', target: 'Remède' }] },
      organiser,
    );
    registerGlossary(french.id, { 1: { Remedy: 'Remède' } });
    const changed = await sendAndDeliver('Remedy opens the panel');
    expect(changed.get('de')).toBe('[de] Heilmittel opens the panel');
    expect(changed.get('fr')).toBe('[fr] Remède opens the panel');

    await viaOther.expect(204, 'DELETE', `/glossaries/${glossary.id}`, undefined, organiser);
    const deleted = await sendAndDeliver('Remedy opens the panel');
    expect(deleted.get('de')).toBe('[de] Remedy opens the panel');
  });

  it('answers 503, not an acknowledgement, when the cache cannot be told of a change', async () => {
    const refusing = await startTestApp(
      ctx,
      { ...providers.env, ...SETTINGS },
      {
        plugs: [{ provide: PairGlossaries, useClass: UnreachablePairGlossaries }],
      },
    );
    try {
      const failed = await new ApiClient(refusing.url).call(
        'POST',
        '/glossaries',
        { sourceLanguage: 'de', targetLanguage: 'en', terms: [{ source: 'Heilmittel', target: 'Remedy' }] },
        room.organiser.accessToken,
      );
      expect(failed.status).toBe(503);
    } finally {
      await refusing.close();
    }
  });

  describe("the pair's cached glossary (ADR 0088)", () => {
    let glossaries: PairGlossaries;
    let redis: RedisClients;
    const pairTo = (targetLanguage: string): GlossaryPair => ({
      organisationId: room.organiser.user.organisationId,
      sourceLanguage: 'ja',
      targetLanguage,
    });
    /** A glossary written behind the service's back: only an invalidation can reveal it. */
    const insertSilently = async (pair: GlossaryPair): Promise<string> => {
      const { rows } = await ctx.pool.query<{ id: string }>(
        'INSERT INTO glossaries (organisation_id, source_language, target_language) VALUES ($1, $2, $3) RETURNING id',
        [pair.organisationId, pair.sourceLanguage, pair.targetLanguage],
      );
      return rows[0]?.id ?? '';
    };

    beforeAll(() => {
      glossaries = worker.app.get(PairGlossaries);
      redis = worker.app.get<RedisClients>(REDIS_CLIENTS);
    });

    it('never serves an answer stored after an invalidation under the version it was loaded with', async () => {
      const pair = pairTo('ko');
      expect(await glossaries.of(pair)).toBeUndefined();
      // A translation loaded "no glossary", then a create committed and renewed the version, then the
      // translation's fill landed: the store of the old answer is played back after the invalidation.
      const loadedBeforeTheCreate = await redis.cache.get(pairGlossaryKey(pair));
      const id = await insertSilently(pair);
      await glossaries.invalidate(pair);
      await redis.cache.set(pairGlossaryKey(pair), loadedBeforeTheCreate ?? '', 'EX', 120);
      expect(await glossaries.of(pair)).toEqual({ id, version: 1 });
      for (const key of [pairGlossaryKey(pair), pairVersionKey(pair)]) {
        const ttl = await redis.cache.ttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(120);
      }
    });

    it('replaces a lost version key with a new version, so an older answer never matches again', async () => {
      const pair = pairTo('zh');
      expect(await glossaries.of(pair)).toBeUndefined();
      const id = await insertSilently(pair);
      // Evicted by the cache Redis (allkeys-lru) or expired, with the answer still there.
      await redis.cache.del(pairVersionKey(pair));
      expect(await glossaries.of(pair)).toEqual({ id, version: 1 });
    });
  });
});
