import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenService } from '@remedy/auth';
import { defineFinding, type FindingContext, type Measurement, type ProviderPlug } from '@remedy/testing';
import { DataSource } from 'typeorm';
import {
  HistoryJoinedTranslationFeedback,
  UnlinkedTranslationFeedback,
  UnstoredTranslationFeedback,
} from '../katas/mi-3-feedback-nowhere-to-go.flawed.js';
import type { QualityGroup } from '../src/feedback/translation-feedback.js';
import { TranslationFeedback } from '../src/feedback/translation-feedback.js';
import { HistoryRetention } from '../src/history/history-retention.js';
import { ApiClient } from './support/api-client.js';
import { deliveriesOf, openChatRoom, seededViewer } from './support/chat-room.js';
import { makeHistoryPartitions } from './support/history-seed.js';
import { startTestApp } from './support/start-test-app.js';
import { startTestWorker } from './support/start-test-worker.js';
import { startTranslationProviders } from './support/translation-providers.js';

const FLAWS = {
  'stored beside the message':
    'TranslationFeedback ← UnlinkedTranslationFeedback: the rating is kept with its message, not linked to the translation it rates',
  'report joined to the history':
    'TranslationFeedback ← HistoryJoinedTranslationFeedback: linked, but the report reads the pair and engine through history, whose rated day the archive job retired',
} as const;
type Run = 'flawed' | 'remediated' | keyof typeof FLAWS;

const PLUGS: Record<Run, ProviderPlug[]> = {
  flawed: [{ provide: TranslationFeedback, useFactory: () => new UnstoredTranslationFeedback() }],
  remediated: [],
  'stored beside the message': [
    { provide: TranslationFeedback, useFactory: () => new UnlinkedTranslationFeedback() },
  ],
  'report joined to the history': [
    {
      provide: TranslationFeedback,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new HistoryJoinedTranslationFeedback(dataSource),
    },
  ],
};

const DAY_MS = 86_400_000;
/** The organiser writes in English; two viewers read German and French. */
const LANGUAGES = ['en', 'de', 'fr'];
/** Each message's ratings by the German and the French reader; the last message is translated by DeepL. */
const RATINGS = [
  { text: 'Welcome to the keynote', de: 5, fr: 3 },
  { text: 'Questions come at the end', de: 4, fr: 3 },
  { text: 'The slides are online', de: 2, fr: 1 },
];
const FALLBACK_MESSAGE = 2;
const RATINGS_GIVEN = RATINGS.length * 2;

/** What a correct report says: one group per pair and engine, with its count and average. */
function expectedGroups(): QualityGroup[] {
  const groups: QualityGroup[] = [];
  for (const language of ['de', 'fr'] as const)
    for (const engine of ['google-v3', 'deepl-v2']) {
      const ratings = RATINGS.filter((_, i) => (i === FALLBACK_MESSAGE) === (engine === 'deepl-v2')).map(
        (message) => message[language],
      );
      groups.push({
        sourceLanguage: 'en',
        targetLanguage: language,
        engine,
        ratings: ratings.length,
        averageRating: Math.round((ratings.reduce((a, b) => a + b, 0) * 100) / ratings.length) / 100,
        lowRatings: ratings.filter((rating) => rating <= 2).length,
      });
    }
  return groups;
}

async function measure(run: Run, ctx: FindingContext): Promise<Measurement> {
  const providers = await startTranslationProviders();
  // The failures are the proof's own (one message goes to the fallback engine): the breaker stays closed.
  const settings = { ...providers.env, TRANSLATION_BREAKER_VOLUME: '1000' };
  // Today's day partition exists, as on a running service, so the archive job can retire the rated day.
  await makeHistoryPartitions(ctx.pool, 1);
  const app = await startTestApp(ctx, settings, { plugs: PLUGS[run] });
  const worker = await startTestWorker(ctx, settings);
  const archive = await mkdtemp(join(tmpdir(), 'translation-mi3-archive-'));
  const api = new ApiClient(app.url);
  const room = await openChatRoom(
    api,
    app.url.replace(/^http/, 'ws'),
    'mi3',
    LANGUAGES,
    seededViewer(ctx.pool, app.app.get(TokenService)),
  );
  try {
    const [author, ...readers] = room.members;
    if (author === undefined) throw new Error('no author');
    const sessionPath = `/sessions/${room.session.id}`;
    const started = new Date(Date.now() - 60_000);
    let accepted = 0;
    for (const [i, message] of RATINGS.entries()) {
      // Google fails both tries of both languages' calls: each falls back to DeepL.
      if (i === FALLBACK_MESSAGE) providers.google.failNext(503, 4);
      author.socket.send({ type: 'message', text: message.text, clientMessageId: `mi3-${i}` });
      await author.socket.until('pending', () => author.socket.ofType('pending').length > i);
      const messageId = String(author.socket.ofType('pending')[i]?.['messageId']);
      for (const reader of readers) {
        await reader.socket.until('message', () => deliveriesOf(reader.socket, messageId).length > 0);
        const rating = message[reader.language as 'de' | 'fr'];
        const answer = await api.call(
          'POST',
          `${sessionPath}/messages/${messageId}/feedback`,
          { rating },
          reader.user.accessToken,
        );
        if (answer.status === 201) accepted += 1;
      }
    }
    // The archive job runs 35 days on: the day every rated translation was made leaves PostgreSQL.
    const later = new Date(Date.now() + 35 * DAY_MS);
    const retired = (
      await HistoryRetention.inDirectory(ctx.pool, archive, { now: () => later }).runOnce()
    ).retention.retired.reduce((sum, partition) => sum + partition.rows, 0);
    const report = await api.expect<{ groups: QualityGroup[] }>(
      200,
      'GET',
      `/feedback/quality?from=${started.toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`,
      undefined,
      room.organiser.accessToken,
    );
    const reported = (expected: QualityGroup) =>
      report.groups.find(
        (group) =>
          group.sourceLanguage === expected.sourceLanguage &&
          group.targetLanguage === expected.targetLanguage &&
          group.engine === expected.engine &&
          group.ratings === expected.ratings &&
          group.averageRating === expected.averageRating &&
          group.lowRatings === expected.lowRatings,
      ) !== undefined;
    const attributed = expectedGroups()
      .filter(reported)
      .reduce((sum, group) => sum + group.ratings, 0);
    const share = Math.round((attributed * 1_000) / RATINGS_GIVEN) / 10;
    ctx.log(`${run}: ${attributed} of ${RATINGS_GIVEN} ratings in the report under their pair and engine`);
    return {
      value: share,
      details: {
        'ratings given (2 readers × 3 messages)': RATINGS_GIVEN,
        'ratings accepted (201)': accepted,
        'history rows archived and dropped before the report': retired,
        'groups in the report': report.groups.length,
        'ratings under their language pair and engine': attributed,
      },
    };
  } finally {
    await Promise.all(room.members.map(({ socket }) => socket.close()));
    await worker.close();
    await app.close();
    await providers.stop();
    await rm(archive, { recursive: true, force: true });
  }
}

export default defineFinding({
  id: 'polyglot-a:MI-3',
  title: 'Translation quality feedback has nowhere to go',
  explanation:
    'The design lists quality feedback collection as a feature but says nothing of where a rating is stored or how ' +
    'it is analysed, so ratings cannot tell which engine or language pair translates badly. A participant rates the ' +
    'translation of a chat message it received (POST /sessions/:id/messages/:messageId/feedback); the rating is a ' +
    'row of translation_feedback linked to the history row of that translation (its key, copied with its pair and ' +
    'engine), and organisers read quality per pair and engine over a time range (GET /feedback/quality) from an ' +
    'index-only scan. The link is not a foreign key, so the archive job still retires rated days, and the report ' +
    'does not read history, so ratings outlive the day they rate. Measured on the real app and worker: three chat ' +
    'messages, the last one translated by the fallback engine, each rated by a German and a French reader; the ' +
    'archive job then runs 35 days on and retires the day of every rated translation. The value is the share of ' +
    'the ratings the report counts under the right language pair and engine, with the right average.',
  fix: [
    'src/migrations/1791000008000-create-translation-feedback.ts',
    'src/feedback/linked-translation-feedback.ts',
    'src/feedback/feedback.sql.ts',
    'src/feedback/feedback.controller.ts',
    'src/history/history.sql.ts',
  ],
  difficulty: 1,
  hints: [
    'Rate a few translations, then ask which engine translates German worse.',
    'A rating is about one translation: the history row that recorded it knows the pair and the engine.',
    'Old history days are archived and dropped: what in the report still needs them?',
    'The technique: a feedback table keyed to the history row, carrying the dimensions it is aggregated by, with a covering index.',
  ],
  seam: 'TranslationFeedback (Nest provider behind the feedback routes) ← katas/mi-3-feedback-nowhere-to-go.flawed.ts UnstoredTranslationFeedback',
  flawsPutBack: FLAWS,
  metric: {
    name: 'ratings the quality report counts under their language pair and engine',
    unit: '%',
    better: 'higher',
  },
  measure,
  flawed: (share) => share === 0,
  remediated: (share) => share === 100,
  timeoutMs: 60_000,
});
