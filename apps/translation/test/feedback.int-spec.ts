import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenService } from '@remedy/auth';
import { poolStatementsDuring } from '@remedy/pooling';
import { describeScans, executedScans, useTestContext } from '@remedy/testing';
import { ApiClient } from '../findings/support/api-client.js';
import { deliveriesOf, openChatRoom, seededViewer, type ChatRoom } from '../findings/support/chat-room.js';
import { makeHistoryPartitions } from '../findings/support/history-seed.js';
import { startTestApp, type TestApp } from '../findings/support/start-test-app.js';
import { startTestWorker, type TestWorker } from '../findings/support/start-test-worker.js';
import { translationHarness } from '../findings/support/translation-harness.js';
import {
  startTranslationProviders,
  type TranslationProviders,
} from '../findings/support/translation-providers.js';
import { HistoryRetention } from '../src/history/history-retention.js';

const ctx = useTestContext(translationHarness);

const DAY_MS = 86_400_000;

interface ErrorBody {
  details?: Array<{ field: string }>;
}

describe('translation feedback (polyglot-a:MI-3)', () => {
  let providers: TranslationProviders;
  let app: TestApp;
  let worker: TestWorker;
  let api: ApiClient;
  let room: ChatRoom;
  let sequence = 0;

  /** The organiser (English) sends a message; resolves with its id once the German reader has it. */
  async function delivered(text: string): Promise<string> {
    const [author, reader] = room.members;
    const index = (sequence += 1) - 1;
    author!.socket.send({ type: 'message', text, clientMessageId: `fb-${index}` });
    await author!.socket.until('pending', () => author!.socket.ofType('pending').length > index);
    const messageId = String(author!.socket.ofType('pending')[index]?.['messageId']);
    await reader!.socket.until('message', () => deliveriesOf(reader!.socket, messageId).length > 0);
    return messageId;
  }

  const feedbackPath = (messageId: string, sessionId = room.session.id) =>
    `/sessions/${sessionId}/messages/${messageId}/feedback`;
  const reader = () => room.members[1]!.user.accessToken;
  const organiser = () => room.organiser.accessToken;
  const qualityPath = (from: Date, to: Date) =>
    `/feedback/quality?from=${from.toISOString()}&to=${to.toISOString()}`;
  /** The fields a 400 names (a field breaking several constraints is named once per constraint). */
  const fields = (body: unknown) => [
    ...new Set(((body as ErrorBody).details ?? []).map((detail) => detail.field)),
  ];

  beforeAll(async () => {
    providers = await startTranslationProviders();
    await makeHistoryPartitions(ctx.pool, 1);
    app = await startTestApp(ctx, providers.env);
    worker = await startTestWorker(ctx, providers.env);
    api = new ApiClient(app.url);
    room = await openChatRoom(
      api,
      app.url.replace(/^http/, 'ws'),
      'feedback',
      ['en', 'de'],
      seededViewer(ctx.pool, app.app.get(TokenService)),
    );
  });

  afterAll(async () => {
    await Promise.all(room.members.map(({ socket }) => socket.close()));
    await worker.close();
    await app.close();
    await providers.stop();
  });

  it('links a rating to the history row of the translation the reader received; a second rating replaces it', async () => {
    const messageId = await delivered('Welcome to the feedback session');
    const first = await api.expect(201, 'POST', feedbackPath(messageId), { rating: 2 }, reader());
    const { rows } = await ctx.pool.query<{ id: string; engine: string }>(
      "SELECT id, engine FROM translation_history WHERE chat_message_id = $1 AND target_language = 'de'",
      [messageId],
    );
    expect(first).toMatchObject({
      messageId,
      historyId: rows[0]?.id,
      sourceLanguage: 'en',
      targetLanguage: 'de',
      engine: rows[0]?.engine,
      rating: 2,
      comment: null,
    });
    const second = await api.expect(
      201,
      'POST',
      feedbackPath(messageId),
      { rating: 4, comment: 'better on second reading' },
      reader(),
    );
    expect(second).toMatchObject({ id: first['id'], rating: 4, comment: 'better on second reading' });
    const stored = await ctx.pool.query('SELECT 1 FROM translation_feedback WHERE chat_message_id = $1', [
      messageId,
    ]);
    expect(stored.rowCount).toBe(1);
  });

  it('answers 404 for a translation the caller did not receive', async () => {
    const messageId = await delivered('Only the German reader got a translation of this');
    // The author reads it in its own language: nothing was translated for them.
    await api.expect(404, 'POST', feedbackPath(messageId), { rating: 5 }, organiser());
    // Not a participant of the session, though of the same organisation.
    const outsider = await seededViewer(ctx.pool, app.app.get(TokenService))(
      room.organiser,
      'feedback_outsider@example.com',
    );
    await api.expect(404, 'POST', feedbackPath(messageId), { rating: 5 }, outsider.accessToken);
    // Another organisation's organiser, and a message id of no message.
    const stranger = await api.signup('feedback_stranger@example.com');
    await api.expect(404, 'POST', feedbackPath(messageId), { rating: 5 }, stranger.accessToken);
    await api.expect(404, 'POST', feedbackPath(crypto.randomUUID()), { rating: 5 }, reader());
    await api.expect(401, 'POST', feedbackPath(messageId), { rating: 5 });
  });

  it('refuses bad ratings and comments with field-level 400s', async () => {
    const messageId = await delivered('Rate me badly');
    const cases: Array<[unknown, string]> = [
      [{ rating: 0 }, 'rating'],
      [{ rating: 6 }, 'rating'],
      [{ rating: 2.5 }, 'rating'],
      [{ rating: '5' }, 'rating'],
      [{}, 'rating'],
      [{ rating: 3, comment: '' }, 'comment'],
      [{ rating: 3, comment: 'x'.repeat(501) }, 'comment'],
      [{ rating: 3, comment: 'nul \u0000 inside' }, 'comment'],
      [{ rating: 3, comment: 42 }, 'comment'],
    ];
    for (const [body, field] of cases) {
      const answer = await api.call('POST', feedbackPath(messageId), body, reader());
      expect({ body, status: answer.status, fields: fields(answer.body) }).toEqual({
        body,
        status: 400,
        fields: [field],
      });
    }
    const badId = await api.call('POST', feedbackPath('not-a-uuid'), { rating: 3 }, reader());
    expect([badId.status, fields(badId.body)]).toEqual([400, ['messageId']]);
  });

  it('reports quality per language pair and engine to organisers only, for a bounded range', async () => {
    const now = Date.now();
    const report = await api.expect<{ groups: Array<Record<string, unknown>> }>(
      200,
      'GET',
      qualityPath(new Date(now - DAY_MS), new Date(now + DAY_MS)),
      undefined,
      organiser(),
    );
    expect(report.groups).toEqual([
      {
        sourceLanguage: 'en',
        targetLanguage: 'de',
        engine: 'google-v3',
        ratings: 1,
        averageRating: 4,
        lowRatings: 0,
      },
    ]);
    await api.expect(403, 'GET', qualityPath(new Date(now - DAY_MS), new Date(now)), undefined, reader());
    const bad: Array<[string, string]> = [
      ['/feedback/quality?to=2026-12-01T00:00:00Z', 'from'],
      ['/feedback/quality?from=yesterday&to=2026-12-01T00:00:00Z', 'from'],
      ['/feedback/quality?from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z', 'to'],
      ['/feedback/quality?from=2024-01-01T00:00:00Z&to=2026-12-01T00:00:00Z', 'to'],
    ];
    for (const [path, field] of bad) {
      const answer = await api.call('GET', path, undefined, organiser());
      expect({ path, status: answer.status, fields: fields(answer.body) }).toEqual({
        path,
        status: 400,
        fields: [field],
      });
    }
  });

  it('reads the report from translation_feedback_quality_idx, whatever else the table holds', async () => {
    // 20,000 ratings spread over 400 days: one day's report reads a sliver of them.
    await ctx.pool.query(
      `INSERT INTO translation_feedback
         (organisation_id, session_id, chat_message_id, user_id, history_id, history_translated_at,
          source_language, target_language, engine, rating, rated_at)
       SELECT s.organisation_id, m.session_id, m.id, p.user_id, gen_random_uuid(), now(), 'en', 'x' || i,
              'google-v3', 1 + i % 5, now() - make_interval(mins => 30 * i)
         FROM chat_messages m JOIN sessions s ON s.id = m.session_id
         JOIN participants p ON p.session_id = m.session_id AND p.language = 'de',
              generate_series(1, 20000) AS i
        WHERE m.id = (SELECT id FROM chat_messages ORDER BY created_at LIMIT 1)`,
    );
    await ctx.pool.query('VACUUM ANALYZE translation_feedback');
    const now = Date.now();
    const { statements } = await poolStatementsDuring(`${app.config.database.applicationName}-api`, () =>
      api.expect(200, 'GET', qualityPath(new Date(now - DAY_MS), new Date(now)), undefined, organiser()),
    );
    const statement = statements.find((candidate) => candidate.sql.includes('FROM translation_feedback f'));
    expect(statement).toBeDefined();
    const scans = (await executedScans(ctx.pool, statement!.sql, [...(statement!.values ?? [])])).filter(
      (scan) => scan.relation === 'translation_feedback',
    );
    expect(describeScans(scans)).toMatch(/^Index (Only )?Scan using translation_feedback_quality_idx /);
  });

  it('keeps ratings in the report once the archive job retires the day they rate; that day can no longer be rated', async () => {
    const messageId = await delivered('Rated, then archived');
    await api.expect(201, 'POST', feedbackPath(messageId), { rating: 1 }, reader());
    const archive = await mkdtemp(join(tmpdir(), 'translation-feedback-archive-'));
    try {
      const later = new Date(Date.now() + 35 * DAY_MS);
      await HistoryRetention.inDirectory(ctx.pool, archive, { now: () => later }).runOnce();
    } finally {
      await rm(archive, { recursive: true, force: true });
    }
    const history = await ctx.pool.query('SELECT 1 FROM translation_history WHERE chat_message_id = $1', [
      messageId,
    ]);
    expect(history.rowCount).toBe(0);
    const now = Date.now();
    const report = await api.expect<{ groups: Array<{ targetLanguage: string; lowRatings: number }> }>(
      200,
      'GET',
      qualityPath(new Date(now - 60 * 60_000), new Date(now + 60_000)),
      undefined,
      organiser(),
    );
    expect(report.groups.find((group) => group.targetLanguage === 'de')?.lowRatings).toBeGreaterThanOrEqual(
      1,
    );
    await api.expect(404, 'POST', feedbackPath(messageId), { rating: 5 }, reader());
  });
});
